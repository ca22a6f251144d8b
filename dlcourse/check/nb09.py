"""Exercises of notebook 09 (saving and loading): which method, resuming, what keeps the state."""

from dlcourse.check._registry import as_number, correct, register, wrong


def _method_name(answer):
    """'model.save_weights()' or 'Save Weights' -> 'save_weights'; None when not text."""
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower().replace("()", "").split(".")[-1]
    return "_".join(text.split())


@register(
    "09.1",
    title_en="Storing a subclassed model",
    title_ko="서브클래싱 모델 저장하기",
    question_en="""
        You trained a subclassed model (class MyNet(Model)). Which method stores it so that it
        can be loaded later? Answer with the method's name as text.
    """,
    question_ko="""
        서브클래싱(subclassing) 방식으로 만든 모델(class MyNet(Model))을 학습했습니다.
        나중에 불러올 수 있도록 저장하려면 어느 메서드를 씁니까? 메서드 이름을 문자열로
        답하세요.
    """,
    solution_en="""
        answer = "save_weights"   # then: MyNet(), call it on a batch, load_weights(...)
    """,
    solution_ko="""
        answer = "save_weights"   # 그다음: MyNet() 생성, 배치 하나로 호출, load_weights(...)
    """,
)
def subclassed_storage(answer):
    word = _method_name(answer)
    if word is None:
        return wrong(
            en=f"Your answer {answer!r} is not text.",
            ko=f"답이 문자열이 아닙니다: {answer!r}",
            hint_en='Write the method name in quotes, e.g. "to_json".',
            hint_ko='메서드 이름을 따옴표 안에 쓰세요. 예: "to_json".',
        )
    if word == "save_weights":
        return correct(
            en="The weights are arrays, which a file holds; the structure is your "
            "call() code, so you recreate the model in code and load_weights().",
            ko="가중치는 배열이라 파일에 담을 수 있지만, 구조는 여러분이 쓴 call() 코드입니다. "
            "그래서 모델은 코드로 다시 만들고 load_weights()로 가중치를 불러옵니다.",
        )
    if word == "save":
        return wrong(
            en="model.save() needs the architecture as data, and a subclassed model's "
            "architecture is the Python code of call(): it raises an error.",
            ko="model.save()는 구조(architecture)를 데이터로 저장해야 하는데, 서브클래싱 "
            "모델의 구조는 call()의 Python 코드입니다: 그래서 오류가 납니다.",
            hint_en="Store the part that IS data: the weight arrays.",
            hint_ko="데이터인 부분, 즉 가중치 배열을 저장하세요.",
        )
    if word == "to_json":
        return wrong(
            en="to_json() describes Sequential and functional models; for a subclassed "
            "model there is no layer graph to describe (and no weights in it).",
            ko="to_json()은 Sequential 모델과 함수형(functional) 모델을 기술합니다. 서브클래싱 "
            "모델에는 기술할 층 그래프가 없습니다(그리고 가중치도 담기지 않습니다).",
            hint_en="Which method writes the arrays only?",
            hint_ko="배열만 저장하는 메서드는 무엇입니까?",
        )
    if word in ("load_weights", "load_model", "model_from_json"):
        return wrong(
            en=f"{word} reads a file back; the question asks how to write it.",
            ko=f"{word} 메서드는 파일을 다시 읽습니다. 문제는 파일을 쓰는 방법을 묻습니다.",
            hint_en="Its partner method starts with 'save'.",
            hint_ko="짝이 되는 메서드는 'save'로 시작합니다.",
        )
    if "pickle" in word:
        return wrong(
            en="Pickle files run code when loaded (notebook 09 shows it), and break "
            "when the class changes.",
            ko="pickle 파일은 불러올 때 코드를 실행하고(노트북 09에서 보여 줍니다), 클래스가 "
            "바뀌면 깨집니다.",
            hint_en="Use the library's weights-only method.",
            hint_ko="라이브러리의 가중치 전용 메서드를 쓰세요.",
        )
    return wrong(
        en=f"{answer!r} is not a model method that stores a subclassed model.",
        ko=f"서브클래싱 모델을 저장하는 모델 메서드가 아닙니다: {answer!r}",
        hint_en="Model has save, save_weights and to_json: which one works for it?",
        hint_ko="Model에는 save, save_weights, to_json이 있습니다: 이 모델에 맞는 것은 무엇입니까?",
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
            en="load_weights restores the weights, but the optimizer (Adam's moments, "
            "its step count) starts afresh, so the run goes a different way.",
            ko="load_weights는 가중치를 되살리지만 옵티마이저(Adam의 모멘트와 스텝 수)는 "
            "처음부터 다시 시작하므로 학습이 다른 길로 갑니다.",
            hint_en="Which file holds the optimizer's state too?",
            hint_ko="옵티마이저의 상태까지 담은 파일은 어느 것입니까?",
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
