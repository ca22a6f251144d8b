"""Exercises of notebook 11 (graduating to Keras): what a .keras file holds and where."""

from dlcourse.check._registry import correct, register, wrong

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
            en="dlcourse's own files use model.weights.npz, and Keras can write one too, "
            "but Keras's npz store pickles a dict per layer and its loader refuses "
            "pickles.",
            ko="dlcourse 자체 파일은 model.weights.npz를 쓰고 Keras도 이 형식으로 쓸 수 있지만, "
            "Keras의 npz 저장소는 층마다 딕셔너리를 pickle로 저장하고 Keras의 로더는 pickle을 "
            "거부합니다.",
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
