"""Exercises of notebook 09 (saving and loading): which file, resuming, what keeps the state,
and a subclassed model that survives save and load_model (run by the checker)."""

import os
import tempfile

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    keeping_random_state,
    register,
    wrong,
)


def _method_name(answer):
    """'model.save_weights()' or 'Save Weights' -> 'save_weights'; None when not text."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower().replace("()", "").split(".")[-1]
    return "_".join(text.split())


def _file_name(answer):
    """'  Net.KERAS ' -> 'net.keras'; None when not text."""
    return answer.strip().strip("'\"").lower() if isinstance(answer, str) else None


@register(
    "09.1",
    title_en="The file that keeps a subclassed model whole",
    title_ko="서브클래싱 모델을 통째로 담는 파일",
    question_en="""
        You trained a subclassed model (class MyNet(Model), registered, with get_config).
        Which file keeps it whole (architecture, weights, optimizer state) so that load_model
        gives it back: "net.keras", "net.h5" or "net.weights.h5"? Answer with the file name
        as text.
    """,
    question_ko="""
        서브클래싱(subclassing) 방식으로 만든 모델(class MyNet(Model), 등록했고 get_config도
        있음)을 학습했습니다. load_model로 그대로 되살릴 수 있도록 모델을 통째로(구조, 가중치,
        옵티마이저 상태) 담는 파일은 어느 것입니까: "net.keras", "net.h5", "net.weights.h5"?
        파일 이름을 문자열로 답하세요.
    """,
    solution_en="""
        answer = "net.keras"   # Keras 3's format: class name + get_config(), weights, optimizer
    """,
    solution_ko="""
        answer = "net.keras"   # Keras 3 형식: 클래스 이름 + get_config(), 가중치, 옵티마이저
    """,
)
def subclassed_storage(answer):
    name = _file_name(answer)
    if name is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en='Write the file name in quotes, e.g. "net.keras".',
            hint_ko='파일 이름을 따옴표 안에 쓰세요. 예: "net.keras".',
        )
    if name.endswith(".weights.h5"):
        return wrong(
            en="A .weights.h5 file holds the weight arrays only: to use it you must build "
            "the model in code again and call load_weights; load_model cannot rebuild it.",
            ko=".weights.h5 파일에는 가중치 배열만 들어 있습니다: 이 파일을 쓰려면 모델을 "
            "코드로 다시 만들고 load_weights를 호출해야 합니다. load_model은 모델을 다시 만들 "
            "수 없습니다.",
            hint_en="Which file stores the class name and get_config() too?",
            hint_ko="클래스 이름과 get_config()까지 저장하는 파일은 어느 것입니까?",
        )
    if name.endswith((".h5", ".hdf5")):
        return wrong(
            en="A .h5 file is Keras's legacy HDF5 format, which stores a graph of layers: "
            "it cannot hold a subclassed model (dlcourse refuses to write it; Keras 3 "
            "writes it but cannot load it back). That is where the lecture's 'subclassed "
            "models cannot be saved' comes from.",
            ko=".h5 파일은 층 그래프를 저장하는 Keras의 예전(legacy) HDF5 형식이라 서브클래싱 "
            "모델을 담을 수 없습니다(dlcourse는 쓰기를 거부하고, Keras 3는 쓰기는 하지만 다시 "
            "불러오지 못합니다). 강의 자료의 '서브클래싱 모델은 저장할 수 없다'는 말이 여기서 "
            "나왔습니다.",
            hint_en="Keras 3's own format has another ending.",
            hint_ko="Keras 3 고유 형식은 확장자가 다릅니다.",
        )
    if name.endswith(".keras") or name == "keras":
        return correct(
            en="A .keras file stores the class's registered name and what get_config() "
            "returns, with the weights and the optimizer's state; load_model finds the "
            "registered class and calls from_config.",
            ko=".keras 파일은 클래스의 등록 이름과 get_config()가 돌려준 값을 가중치, "
            "옵티마이저 상태와 함께 저장합니다. load_model은 등록된 클래스를 찾아 from_config를 "
            "호출합니다.",
        )
    if name.endswith((".pkl", ".pickle")) or "pickle" in name:
        return wrong(
            en="Pickle files run code when loaded (notebook 09 shows it), and break when "
            "the class changes.",
            ko="pickle 파일은 불러올 때 코드를 실행하고(노트북 09에서 보여 줍니다), 클래스가 "
            "바뀌면 깨집니다.",
            hint_en="Use one of the three names in the question.",
            hint_ko="문제에 나온 세 이름 중 하나를 쓰세요.",
        )
    if name.endswith(".json"):
        return wrong(
            en="JSON (to_json) holds the architecture only, no weights.",
            ko="JSON(to_json)에는 구조만 있고 가중치는 없습니다.",
            hint_en="Use one of the three names in the question.",
            hint_ko="문제에 나온 세 이름 중 하나를 쓰세요.",
        )
    return wrong(
        en=f"{answer!r} is not one of the three file names.",
        ko=f"세 파일 이름 중 하나가 아닙니다: {answer!r}",
        hint_en='Choose "net.keras", "net.h5" or "net.weights.h5".',
        hint_ko='"net.keras", "net.h5", "net.weights.h5" 중에서 고르세요.',
    )


@register(
    "09.2",
    title_en="Continuing a saved run",
    title_ko="저장한 학습 이어 가기",
    question_en="""
        A model trained for 5 epochs was saved and loaded. Which (initial_epoch, epochs) make
        fit() continue to 10 epochs in all, numbered 6 to 10?
    """,
    question_ko="""
        5 에포크 동안 학습한 모델을 저장했다가 불러왔습니다. fit()이 에포크 6부터 10까지,
        모두 합쳐 10 에포크가 되도록 이어 가려면 (initial_epoch, epochs)를 어떻게 줍니까?
    """,
    solution_en="""
        answer = (5, 10)   # model.fit(x, y, initial_epoch=5, epochs=10)
    """,
    solution_ko="""
        answer = (5, 10)   # model.fit(x, y, initial_epoch=5, epochs=10)으로 호출합니다
    """,
)
def resume_arguments(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return wrong(
            en=f"Your answer {answer!r} is not a pair.",
            ko=f"답이 쌍(pair)이 아닙니다: {answer!r}",
            hint_en="Write a tuple of two numbers: (initial_epoch, epochs).",
            hint_ko="숫자 두 개로 된 튜플을 쓰세요: (initial_epoch, epochs).",
        )
    numbers = [as_number(value) for value in answer]
    if any(number is None for number in numbers):
        return wrong(
            en=f"Your pair {answer!r} does not hold two numbers.",
            ko=f"쌍 {answer!r}에 숫자 두 개가 들어 있지 않습니다.",
            hint_en="Write (initial_epoch, epochs) with whole numbers.",
            hint_ko="(initial_epoch, epochs)를 정수로 쓰세요.",
        )
    pair = tuple(numbers)
    if pair == (5, 10):
        return correct(
            en="initial_epoch=5 says 5 epochs are done; epochs=10 is the final epoch "
            "number, not how many more to run: 5 more epochs, numbered 6 to 10.",
            ko="initial_epoch=5는 5 에포크를 이미 마쳤다는 뜻이고, epochs=10은 더 돌릴 횟수가 "
            "아니라 마지막 에포크 번호입니다: 에포크 6부터 10까지 5 에포크를 더 돕니다.",
        )
    if pair == (5, 5):
        return wrong(
            en="epochs is the number of the LAST epoch, not the number of epochs to add: "
            "with initial_epoch=5 and epochs=5 nothing runs.",
            ko="epochs는 더할 에포크 수가 아니라 마지막 에포크의 번호입니다: initial_epoch=5, "
            "epochs=5이면 아무것도 돌지 않습니다.",
            hint_en="Training runs from epoch initial_epoch + 1 up to epoch `epochs`.",
            hint_ko="학습은 에포크 initial_epoch + 1부터 에포크 `epochs`까지 돕니다.",
        )
    if pair == (6, 10):
        return wrong(
            en="initial_epoch counts the epochs already DONE (from 0), so 6 would skip epoch 6.",
            ko="initial_epoch는 이미 마친 에포크 수(0부터 셈)이므로, 6을 주면 에포크 6을 "
            "건너뜁니다.",
            hint_en="5 epochs are done.",
            hint_ko="5 에포크를 마쳤습니다.",
        )
    if pair == (0, 5):
        return wrong(
            en="initial_epoch=0 numbers the new epochs 1 to 5 again, as if nothing had "
            "been done (the weights do continue, but the epoch count and schedules "
            "that depend on it restart).",
            ko="initial_epoch=0이면 아무것도 하지 않은 것처럼 새 에포크에 다시 1부터 5까지 "
            "번호를 매깁니다(가중치는 이어지지만, 에포크 번호와 그 번호에 따르는 스케줄은 "
            "처음부터 다시 시작합니다).",
            hint_en="Tell fit that 5 epochs are done.",
            hint_ko="5 에포크를 마쳤다고 fit에 알려 주세요.",
        )
    if pair == (10, 5):
        return wrong(
            en="The order is (initial_epoch, epochs).",
            ko="순서는 (initial_epoch, epochs)입니다.",
            hint_en="initial_epoch comes first.",
            hint_ko="initial_epoch가 먼저 옵니다.",
        )
    if pair == (0, 10):
        return wrong(
            en="With initial_epoch=0, fit runs 10 more epochs, 15 in all.",
            ko="initial_epoch=0이면 fit이 10 에포크를 더 돌려 모두 15 에포크가 됩니다.",
            hint_en="Tell fit that 5 epochs are done already.",
            hint_ko="이미 5 에포크를 마쳤다고 fit에 알려 주세요.",
        )
    call = f"fit(initial_epoch={pair[0]:g}, epochs={pair[1]:g})"
    return wrong(
        en=f"{call} does not run epochs 6 to 10.",
        ko=f"{call}은 에포크 6부터 10까지를 돌리지 않습니다.",
        hint_en="fit runs epochs initial_epoch + 1 to epochs, counted from 1.",
        hint_ko="fit은 1부터 세어 에포크 initial_epoch + 1부터 epochs까지 돌립니다.",
    )


@register(
    "09.3",
    title_en="Which loading resumes exactly",
    title_ko="학습을 그대로 이어 가게 하는 불러오기",
    question_en="""
        Which way of getting a model back lets training continue exactly as if it had never
        stopped: "load_model", "load_weights" or "model_from_json"?
    """,
    question_ko="""
        모델을 되살리는 방법 가운데, 학습이 한 번도 멈춘 적 없는 것처럼 그대로 이어지게
        하는 것은 무엇입니까: "load_model", "load_weights", "model_from_json"?
    """,
    solution_en="""
        answer = "load_model"   # the whole-model file holds the optimizer's state too
    """,
    solution_ko="""
        answer = "load_model"   # 모델 전체 파일에는 옵티마이저의 상태도 들어 있습니다
    """,
)
def exact_resume(answer):
    word = _method_name(answer)
    if word is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en="Answer with one of the three names in quotes.",
            hint_ko="세 이름 중 하나를 따옴표 안에 넣어 답하세요.",
        )
    if word == "load_model":
        return correct(
            en="A whole-model file restores the weights AND the optimizer's slots and "
            "step count, so the next update is the one that would have come.",
            ko="모델 전체 파일은 가중치뿐 아니라 옵티마이저의 슬롯(slot)과 스텝 수까지 "
            "되살리므로, 다음 갱신이 원래 일어났을 갱신과 똑같습니다.",
        )
    if word == "load_weights":
        return wrong(
            en="load_weights restores the weights into a model you built and compiled in "
            "code; the optimizer's state does not reliably follow: Keras 3 skips it (a fresh "
            "optimizer has no slots before its first step, and Keras warns), so Adam's "
            "moments and step count start afresh and the run goes a different way.",
            ko="load_weights는 코드로 만들고 compile한 모델에 가중치를 되살립니다. 옵티마이저 "
            "상태는 확실히 따라오지 않습니다: Keras 3는 이를 건너뜁니다(새 옵티마이저는 첫 "
            "스텝 전에는 슬롯이 없어서 Keras가 경고합니다). 그래서 Adam의 모멘트와 스텝 수가 "
            "처음부터 시작되고 학습이 다른 길로 갑니다.",
            hint_en="Which call rebuilds the model, its compile settings and the optimizer's "
            "state together?",
            hint_ko="모델과 compile 설정, 옵티마이저 상태를 한꺼번에 되살리는 호출은 무엇입니까?",
        )
    if word == "model_from_json":
        return wrong(
            en="model_from_json rebuilds only the architecture, with NEW random weights: "
            "training starts from scratch.",
            ko="model_from_json은 구조만 다시 만들고 가중치는 새로 무작위로 정합니다: 학습이 "
            "처음부터 시작됩니다.",
            hint_en="You need weights and optimizer state: the whole model.",
            hint_ko="가중치와 옵티마이저 상태가 모두 필요합니다: 모델 전체입니다.",
        )
    return wrong(
        en=f"{answer!r} is not one of the three choices.",
        ko=f"세 선택지 중 하나가 아닙니다: {answer!r}",
        hint_en='Choose "load_model", "load_weights" or "model_from_json".',
        hint_ko='"load_model", "load_weights", "model_from_json" 중에서 고르세요.',
    )


SMALLNET_SOLUTION = """
from dlcourse.layers import Dense
from dlcourse.models import Model
from dlcourse.saving import register_keras_serializable


@register_keras_serializable()           # {register}
class SmallNet(Model):
    def __init__(self, hidden=16, **kwargs):
        super().__init__(**kwargs)        # {kwargs}
        self.hidden = hidden
        self.dense = Dense(hidden, activation="relu")
        self.out = Dense(3, activation="softmax")

    def call(self, inputs):
        return self.out(self.dense(inputs))

    def get_config(self):                 # {config}
        return {{**super().get_config(), "hidden": self.hidden}}


answer = SmallNet
"""


@register(
    "09.4",
    title_en="A subclassed model that survives save and load (experiment)",
    title_ko="저장하고 불러와도 그대로인 서브클래싱 모델 (실험)",
    question_en="""
        Write class SmallNet(Model) with __init__(self, hidden=16, **kwargs), the layers
        Dense(hidden, activation="relu") and Dense(3, activation="softmax") applied in call,
        and what Keras 3 needs to save it. answer = SmallNet. The checker builds
        SmallNet(hidden=8), saves it as .keras, loads it with load_model and compares.
    """,
    question_ko="""
        __init__(self, hidden=16, **kwargs)에서 Dense(hidden, activation="relu")와
        Dense(3, activation="softmax")를 만들고 call에서 적용하는 class SmallNet(Model)을
        쓰고, Keras 3가 저장하는 데 필요한 것을 갖추세요. answer = SmallNet. 검사기는
        SmallNet(hidden=8)을 만들어 .keras로 저장하고 load_model로 불러와 비교합니다.
    """,
    solution_en=SMALLNET_SOLUTION.format(
        register="the file names the class: Custom>SmallNet",
        kwargs="name, trainable: what from_config passes back",
        config="what __init__ needs to rebuild it",
    ),
    solution_ko=SMALLNET_SOLUTION.format(
        register="파일에 클래스 이름을 남깁니다: Custom>SmallNet",
        kwargs="name, trainable: from_config가 되돌려 주는 값",
        config="__init__이 모델을 다시 만드는 데 필요한 값",
    ),
)
def subclassed_round_trip(answer):
    from dlcourse.models import Model

    if not (isinstance(answer, type) and issubclass(answer, Model)):
        return wrong(
            en=f"Your answer is {type(answer).__name__}, not a subclass of Model.",
            ko=f"답이 Model의 서브클래스가 아니라 {type(answer).__name__}입니다.",
            hint_en="Define class SmallNet(Model): ... and assign the class itself: "
            "answer = SmallNet (no parentheses).",
            hint_ko="class SmallNet(Model): ...을 정의하고 클래스 자체를 대입하세요: "
            "answer = SmallNet (괄호 없이).",
        )
    from dlcourse.saving import get_registered_name

    if ">" not in get_registered_name(answer):
        return wrong(
            en=f"{answer.__name__} is not registered: a file names a class, and load_model "
            "finds it only among the registered ones.",
            ko=f"{answer.__name__}이(가) 등록되어 있지 않습니다: 파일에는 클래스 이름만 있고, "
            "load_model은 등록된 클래스 가운데서만 그 이름을 찾습니다.",
            hint_en="Put @register_keras_serializable() (from dlcourse.saving) on the line "
            "above class SmallNet(Model):.",
            hint_ko="class SmallNet(Model): 바로 위 줄에 @register_keras_serializable() "
            "(dlcourse.saving에서 가져옴)를 붙이세요.",
        )
    try:
        return keeping_random_state(lambda: _save_and_load(answer))
    except AnswerFailed as failure:
        return failure.verdict


def _save_and_load(answer):
    from dlcourse.models import load_model
    from dlcourse.saving import SavedFileError, read_keras_file

    inputs = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    model = call_answer(lambda: answer(hidden=8))
    outputs = np.asarray(call_answer(model, inputs))
    if outputs.shape != (5, 3):
        return wrong(
            en=f"SmallNet(hidden=8) gives outputs of shape {outputs.shape} for 5 rows; "
            "expected (5, 3).",
            ko=f"SmallNet(hidden=8)이 5개 행에 대해 {outputs.shape} 모양의 출력을 냅니다. "
            "(5, 3)이어야 합니다.",
            hint_en='The last layer is Dense(3, activation="softmax").',
            hint_ko='마지막 층은 Dense(3, activation="softmax")입니다.',
        )
    if not any(w.shape == (4, 8) for w in model.get_weights()):
        return wrong(
            en="SmallNet(hidden=8) has no hidden layer of 8 units: __init__ ignores hidden.",
            ko="SmallNet(hidden=8)에 유닛 8개짜리 은닉층이 없습니다: __init__이 hidden을 "
            "쓰지 않습니다.",
            hint_en='Make the first layer Dense(hidden, activation="relu").',
            hint_ko='첫 층을 Dense(hidden, activation="relu")로 만드세요.',
        )
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "small.keras")
        try:
            model.save(path)
        except (NotImplementedError, TypeError, ValueError) as error:
            return wrong(
                en=f"model.save raised {type(error).__name__}: {error}",
                ko=f"model.save에서 {type(error).__name__} 오류가 났습니다: {error}",
                hint_en="Define get_config(self) returning "
                '{**super().get_config(), "hidden": self.hidden}: plain values only.',
                hint_ko="get_config(self)가 "
                '{**super().get_config(), "hidden": self.hidden}을 돌려주게 하세요: '
                "숫자, 문자열 같은 단순한 값만 넣습니다.",
            )
        saved = read_keras_file(path)[1].get("config", {})
        if saved.get("hidden") != 8:
            return wrong(
                en=f"The file's config does not say hidden=8 (it holds {sorted(saved)}): "
                "load_model would build SmallNet with the default hidden.",
                ko=f"파일의 config에 hidden=8이 없습니다({sorted(saved)}만 있음): load_model은 "
                "기본값 hidden으로 SmallNet을 만들게 됩니다.",
                hint_en='get_config must return "hidden": self.hidden (store hidden in __init__).',
                hint_ko='get_config가 "hidden": self.hidden을 돌려주어야 합니다(__init__에서 '
                "hidden을 저장해 두세요).",
            )
        try:
            loaded = load_model(path)
        except SavedFileError as error:
            text = str(error).replace(folder + os.sep, "")
            if "unexpected keyword" in text:
                return wrong(
                    en=f"load_model failed: {text}",
                    ko=f"load_model이 실패했습니다: {text}",
                    hint_en="Accept **kwargs in __init__ and pass them on: "
                    "super().__init__(**kwargs) (the config holds name and trainable too).",
                    hint_ko="__init__에서 **kwargs를 받아 super().__init__(**kwargs)로 넘기세요 "
                    "(config에는 name과 trainable도 들어 있습니다).",
                )
            return wrong(
                en=f"load_model failed: {text}",
                ko=f"load_model이 실패했습니다: {text}",
                hint_en="get_config must return everything __init__ needs, and __init__ "
                "must accept it.",
                hint_ko="get_config는 __init__에 필요한 값을 모두 돌려주고, __init__은 그 값을 "
                "받을 수 있어야 합니다.",
            )
        same = np.array_equal(
            np.asarray(loaded.predict(inputs, verbose=0)), model.predict(inputs, verbose=0)
        )
    if type(loaded) is not answer or not same:
        return wrong(
            en=f"load_model gave back a {type(loaded).__name__} whose predictions differ.",
            ko=f"load_model이 돌려준 {type(loaded).__name__}의 예측이 다릅니다.",
            hint_en="Is another class registered under the same name? Run your cell again.",
            hint_ko="같은 이름으로 다른 클래스가 등록되어 있지 않습니까? 셀을 다시 실행하세요.",
        )
    return correct(
        en="SmallNet(hidden=8) went to a .keras file and came back as a SmallNet with "
        "identical predictions: the file holds its registered name, get_config() and the "
        "weights, never its code.",
        ko="SmallNet(hidden=8)이 .keras 파일로 갔다가 예측이 똑같은 SmallNet으로 돌아왔습니다: "
        "파일에는 등록 이름과 get_config(), 가중치가 있을 뿐 코드는 없습니다.",
    )
