"""Exercises of notebook 11 (graduating to Keras): what a .keras file holds and where, and the
lecture's Keras code rewritten for dlcourse (the checker saves the learner's model and reads
the file as Keras would)."""

import os
import tempfile

import numpy as np

from dlcourse.check._registry import correct, keeping_random_state, register, wrong

MEMBERS = ("metadata.json", "config.json", "model.weights.h5")


def _text(answer):
    """A file name or path as typed, lower case, without surrounding spaces; None if not text."""
    return answer.strip().lower() if isinstance(answer, str) else None


@register(
    "11.1",
    title_en="Where Keras finds the weights",
    title_ko="Keras가 가중치를 찾는 곳",
    question_en="""
        A Keras 3 .keras file is a zip. Which member holds the weight arrays that
        keras.models.load_model reads? Answer with the member's name as text.
    """,
    question_ko="""
        Keras 3의 .keras 파일은 zip 파일입니다. keras.models.load_model이 읽는 가중치 배열은
        어느 멤버(member)에 들어 있습니까? 멤버 이름을 문자열로 답하세요.
    """,
    solution_en="""
        answer = "model.weights.h5"  # HDF5: one dataset per variable, layers/<path>/vars/<i>
    """,
    solution_ko="""
        answer = "model.weights.h5"  # HDF5: 변수마다 데이터셋 하나, layers/<path>/vars/<i>
    """,
)
def weights_member(answer):
    name = _text(answer)
    members = ", ".join(MEMBERS)
    if name is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en=f"Answer with one of the member names in quotes: {members}.",
            hint_ko=f"다음 멤버 이름 중 하나를 따옴표에 넣어 답하세요: {members}.",
        )
    if name == "model.weights.h5":
        return correct(
            en="model.weights.h5 holds every variable as an HDF5 dataset at "
            "layers/<layer path>/vars/<i>.",
            ko="model.weights.h5는 모든 변수를 layers/<layer path>/vars/<i> 위치의 HDF5 "
            "데이터셋으로 담고 있습니다.",
        )
    if name == "model.weights.npz":
        return wrong(
            en="Keras can write its weights as model.weights.npz, but that store pickles "
            "a dict per layer, so neither Keras's safe loading nor dlcourse reads it; "
            "Keras's default, and dlcourse's, is another member.",
            ko="Keras는 가중치를 model.weights.npz로 쓸 수도 있지만, 이 저장소는 층마다 "
            "딕셔너리를 pickle로 저장하므로 Keras의 안전한 불러오기도 dlcourse도 읽지 않습니다. "
            "Keras와 dlcourse의 기본값은 다른 멤버입니다.",
            hint_en="The member Keras writes by default is HDF5.",
            hint_ko="Keras가 기본으로 쓰는 멤버는 HDF5 형식입니다.",
        )
    look_for_weights = dict(
        hint_en="Look for the member with 'weights' in it.",
        hint_ko="이름에 'weights'가 들어간 멤버를 찾으세요.",
    )
    if name == "config.json":
        return wrong(
            en="config.json holds the architecture and the compile settings: class names "
            "and options, no numbers.",
            ko="config.json에는 구조와 compile 설정, 즉 클래스 이름과 옵션이 들어 있을 뿐 "
            "숫자는 없습니다.",
            **look_for_weights,
        )
    if name == "metadata.json":
        return wrong(
            en="metadata.json only records the Keras version and the date.",
            ko="metadata.json에는 Keras 버전과 날짜만 기록됩니다.",
            **look_for_weights,
        )
    return wrong(
        en=f"{answer!r} is not a member of a .keras file.",
        ko=f".keras 파일의 멤버가 아닙니다: {answer!r}",
        hint_en=f"The members are {members}.",
        hint_ko=f"멤버는 {members}입니다.",
    )


@register(
    "11.2",
    title_en="A weight's path inside the file",
    title_ko="파일 안에서 가중치가 있는 경로",
    question_en="""
        Sequential([Input(shape=(4,)), Dense(8), BatchNormalization(), Dense(1)]) is saved
        as a .keras file. At which path inside model.weights.h5 is the BIAS of the LAST
        Dense layer? Answer as text like "layers/<layer path>/vars/<index>".
    """,
    question_ko="""
        Sequential([Input(shape=(4,)), Dense(8), BatchNormalization(), Dense(1)])을
        .keras 파일로 저장했습니다. 마지막 Dense 층의 편향(bias)은 model.weights.h5 안의
        어느 경로에 있습니까? "layers/<layer path>/vars/<index>" 같은 문자열로 답하세요.
    """,
    solution_en="""
        # Paths number layers per class in model.layers order (dense, dense_1, ...),
        # and variables in creation order (kernel 0, bias 1).
        answer = "layers/dense_1/vars/1"
    """,
    solution_ko="""
        # 경로는 model.layers 순서대로 클래스마다 층에 번호를 붙이고 (dense, dense_1, ...),
        # 변수에는 만든 순서대로 번호를 붙입니다 (kernel 0, bias 1).
        answer = "layers/dense_1/vars/1"
    """,
)
def weight_path(answer):
    path = _text(answer)
    if path is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en='Answer as text, e.g. "layers/dense/vars/0".',
            hint_ko='문자열로 답하세요. 예: "layers/dense/vars/0".',
        )
    path = path.strip("/")
    if path == "layers/dense_1/vars/1":
        return correct(
            en="The second Dense is numbered dense_1 (the first is plain dense), and "
            "its variables are [kernel, bias]: the bias is vars/1.",
            ko="두 번째 Dense 층의 이름은 dense_1이고(첫 번째는 그냥 dense), 변수는 "
            "[kernel, bias] 순서입니다: 편향은 vars/1입니다.",
        )
    if path == "layers/dense_2/vars/1":
        return wrong(
            en="Keras numbers layers of one class dense, dense_1, dense_2, ...: the first "
            "has no number.",
            ko="Keras는 같은 클래스의 층에 dense, dense_1, dense_2, ... 순으로 이름을 붙입니다: "
            "첫 번째 층에는 번호가 없습니다.",
            hint_en="The last Dense is the second Dense layer.",
            hint_ko="마지막 Dense는 두 번째 Dense 층입니다.",
        )
    if path == "layers/dense_1/vars/0":
        return wrong(
            en="vars/0 is the kernel: a Dense layer creates its kernel first.",
            ko="vars/0은 커널입니다: Dense 층은 커널을 먼저 만듭니다.",
            hint_en="The bias is created second.",
            hint_ko="편향은 두 번째로 만들어집니다.",
        )
    if path in ("layers/dense_1/vars/2", "layers/dense_2/vars/2"):
        return wrong(
            en="Variables are counted from 0 (kernel 0, bias 1).",
            ko="변수는 0부터 셉니다(kernel 0, bias 1).",
            hint_en="A Dense layer has only two variables.",
            hint_ko="Dense 층의 변수는 두 개뿐입니다.",
        )
    if path.startswith("layers/dense/"):
        return wrong(
            en="layers/dense/... is the FIRST Dense layer.",
            ko="layers/dense/...는 첫 번째 Dense 층입니다.",
            hint_en="The second Dense of the model gets the suffix _1.",
            hint_ko="모델의 두 번째 Dense 층에는 접미사 _1이 붙습니다.",
        )
    if path.startswith("layers/batch_normalization"):
        return wrong(
            en="That is the BatchNormalization layer (gamma, beta, moving mean and variance).",
            ko="그것은 BatchNormalization 층(gamma, beta, 이동 평균과 이동 분산)입니다.",
            hint_en="The question asks about the last Dense layer.",
            hint_ko="문제는 마지막 Dense 층을 묻습니다.",
        )
    return wrong(
        en=f"{answer!r} is not where Keras stores that bias.",
        ko=f"Keras가 그 편향을 저장하는 위치가 아닙니다: {answer!r}",
        hint_en='Paths look like "layers/<snake_case class>[_<n>]/vars/<i>".',
        hint_ko='경로는 "layers/<snake_case class>[_<n>]/vars/<i>" 모양입니다.',
    )


LECTURE_LAYERS = [(100, "relu"), (24, "relu"), (1, "sigmoid")]


@register(
    "11.3",
    title_en="The lecture's Keras code in dlcourse (experiment)",
    title_ko="강의 자료의 Keras 코드를 dlcourse로 (실험)",
    question_en="""
        Rewrite the lecture's tf.keras model (Dense(100, relu, input_shape=(30,)),
        Dense(24, relu), Dense(1, sigmoid); compiled with optimizer="adam",
        loss="binary_crossentropy", metrics=["accuracy"]) with dlcourse in Keras 3 style
        (Input(shape=...) first), and set answer = model.
    """,
    question_ko="""
        강의 자료의 tf.keras 모델(Dense(100, relu, input_shape=(30,)), Dense(24, relu),
        Dense(1, sigmoid); optimizer="adam", loss="binary_crossentropy",
        metrics=["accuracy"]로 compile)을 Keras 3 스타일(Input(shape=...)을 먼저)로
        dlcourse에서 다시 쓰고 answer = model로 두세요.
    """,
    solution_en="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        model = Sequential([Input(shape=(30,)),          # Keras 3: the input first
                            Dense(100, activation="relu"),
                            Dense(24, activation="relu"),
                            Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        answer = model
    """,
    solution_ko="""
        from dlcourse.layers import Dense, Input
        from dlcourse.models import Sequential

        model = Sequential([Input(shape=(30,)),          # Keras 3: 입력을 먼저 둡니다
                            Dense(100, activation="relu"),
                            Dense(24, activation="relu"),
                            Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        answer = model
    """,
)
def lecture_model_in_dlcourse(answer):
    from dlcourse.models import Model

    if not isinstance(answer, Model):
        return wrong(
            en=f"Your answer is {type(answer).__name__}, not a dlcourse model.",
            ko=f"답이 dlcourse 모델이 아니라 {type(answer).__name__}입니다.",
            hint_en="Build it with dlcourse.models.Sequential and set answer = model.",
            hint_ko="dlcourse.models.Sequential로 만들고 answer = model로 두세요.",
        )
    return keeping_random_state(lambda: _check_saved_model(answer))


def _check_saved_model(model):
    from dlcourse.models import load_model
    from dlcourse.saving import read_keras_file

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "lecture.keras")
        try:
            model.save(path)
        except (ValueError, NotImplementedError) as error:
            return wrong(
                en=f"model.save raised {type(error).__name__}: {error}",
                ko=f"model.save에서 {type(error).__name__} 오류가 났습니다: {error}",
                hint_en="Start the Sequential list with Input(shape=(30,)).",
                hint_ko="Sequential 목록을 Input(shape=(30,))으로 시작하세요.",
            )
        config = read_keras_file(path)[1]
        loaded = load_model(path)
    layers = config["config"]["layers"]
    if config["class_name"] != "Sequential" or layers[0]["class_name"] != "InputLayer":
        return wrong(
            en=f"The file holds a {config['class_name']} model, not a Sequential one "
            "starting with its input.",
            ko=f"파일에 든 모델은 입력으로 시작하는 Sequential 모델이 아니라 "
            f"{config['class_name']} 모델입니다.",
            hint_en="Use Sequential([Input(shape=(30,)), ...]).",
            hint_ko="Sequential([Input(shape=(30,)), ...])을 쓰세요.",
        )
    shape = layers[0]["config"].get("batch_shape")
    if list(shape or []) != [None, 30]:
        return wrong(
            en=f"The input shape in the file is {shape}; the data has 30 features: [None, 30].",
            ko=f"파일의 입력 모양은 {shape}입니다. 데이터의 특성은 30개입니다: [None, 30].",
            hint_en="Input(shape=(30,)): the batch dimension is left out.",
            hint_ko="Input(shape=(30,)): 배치 차원은 쓰지 않습니다.",
        )
    dense = [
        (layer["config"].get("units"), layer["config"].get("activation")) for layer in layers[1:]
    ]
    if dense != LECTURE_LAYERS:
        return wrong(
            en=f"The file's layers are {dense} as (units, activation); the lecture's are "
            f"{LECTURE_LAYERS}.",
            ko=f"파일의 층은 (units, activation)으로 {dense}입니다. 강의 자료의 층은 "
            f"{LECTURE_LAYERS}입니다.",
            hint_en='Three Dense layers: Dense(100, activation="relu"), '
            'Dense(24, activation="relu"), Dense(1, activation="sigmoid").',
            hint_ko='Dense 층 세 개: Dense(100, activation="relu"), '
            'Dense(24, activation="relu"), Dense(1, activation="sigmoid").',
        )
    compiled = config.get("compile_config")
    if not compiled:
        return wrong(
            en="The file has no compile settings: the model was never compiled.",
            ko="파일에 compile 설정이 없습니다: 모델을 compile하지 않았습니다.",
            hint_en='Call model.compile(optimizer="adam", loss="binary_crossentropy", '
            'metrics=["accuracy"]) before answer = model.',
            hint_ko='answer = model 전에 model.compile(optimizer="adam", '
            'loss="binary_crossentropy", metrics=["accuracy"])을 호출하세요.',
        )
    got = (compiled["optimizer"]["class_name"], compiled["loss"], compiled["metrics"])
    if got != ("Adam", "binary_crossentropy", ["accuracy"]):
        return wrong(
            en=f"The file's compile settings are {got}; the lecture's are "
            "('Adam', 'binary_crossentropy', ['accuracy']).",
            ko=f"파일의 compile 설정은 {got}입니다. 강의 자료의 설정은 "
            "('Adam', 'binary_crossentropy', ['accuracy'])입니다.",
            hint_en='compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]).',
            hint_ko='compile(optimizer="adam", loss="binary_crossentropy", '
            'metrics=["accuracy"])로 컴파일하세요.',
        )
    inputs = np.random.default_rng(0).normal(size=(4, 30)).astype("float32")
    same = np.array_equal(loaded.predict(inputs, verbose=0), model.predict(inputs, verbose=0))
    if not same:  # pragma: no cover - a library bug, not a learner's mistake
        return wrong(
            en="The model loaded from the file predicts differently.",
            ko="파일에서 불러온 모델의 예측이 다릅니다.",
        )
    return correct(
        en="The file says Sequential: InputLayer [None, 30], Dense 100 relu, Dense 24 relu, "
        "Dense 1 sigmoid, compiled with Adam, binary_crossentropy and accuracy, exactly "
        "what keras.models.load_model would build from it.",
        ko="파일 내용은 Sequential: InputLayer [None, 30], Dense 100 relu, Dense 24 relu, "
        "Dense 1 sigmoid이고 Adam, binary_crossentropy, accuracy로 compile되어 있습니다. "
        "keras.models.load_model이 이 파일로 만들 모델과 똑같습니다.",
    )
