"""Exercises of notebook 10 (capstone): precision, pixel scale, shifting images."""

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
)


@register(
    "10.1",
    title_en="Precision from a confusion matrix",
    title_ko="혼동 행렬에서 구하는 정밀도",
    question_en="""
        The column of digit 8 (predicted 8) holds 30 true 8s and 4 other digits; the row of
        digit 8 (true 8) holds the 30 plus 2 predicted as other digits. Precision for digit 8?
    """,
    question_ko="""
        혼동 행렬(confusion matrix)에서 숫자 8의 열(8로 예측)에는 실제 8이 30개, 다른 숫자가
        4개 있습니다. 숫자 8의 행(실제 8)에는 그 30개와 다른 숫자로 예측된 2개가 있습니다.
        숫자 8의 정밀도(precision)는 얼마입니까?
    """,
    solution_en="""
        answer = 30 / (30 + 4)   # of the images PREDICTED 8, the share that really are 8
    """,
    solution_ko="""
        answer = 30 / (30 + 4)   # 8로 예측한 이미지 가운데 실제로 8인 비율
    """,
)
def precision_for_eight(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(
            answer, wanted_en="one number between 0 and 1", wanted_ko="0과 1 사이의 숫자 하나"
        )
    if abs(number - 30 / 34) < 1e-3:
        return correct(
            en="Precision: of the 34 images predicted 8, 30 are 8s: 30 / 34 ≈ 0.882.",
            ko="정밀도: 8로 예측한 이미지 34개 중 30개가 실제 8입니다: 30 / 34 ≈ 0.882.",
        )
    if abs(number - 30 / 32) < 1e-3:
        return wrong(
            en="30 / 32 is the RECALL: of the 32 real 8s, the share found.",
            ko="30 / 32는 재현율(recall)입니다: 실제 8인 32개 가운데 찾아낸 비율입니다.",
            hint_en="Precision looks at the images PREDICTED 8: the column.",
            hint_ko="정밀도는 8로 예측한 이미지, 즉 열을 봅니다.",
        )
    if abs(number - 30 / 36) < 1e-3:
        return wrong(
            en="You added both kinds of mistakes: 30 / 36 is neither precision nor recall.",
            ko="두 종류의 실수를 모두 더했습니다: 30 / 36은 정밀도도 재현율도 아닙니다.",
            hint_en="Precision: only the column (predicted 8).",
            hint_ko="정밀도는 열(8로 예측)만 봅니다.",
        )
    if abs(number - 4 / 34) < 1e-3 or abs(number - 4 / 30) < 1e-3:
        return wrong(
            en="That is the share of WRONG predictions among the predicted 8s.",
            ko="그것은 8로 예측한 것 가운데 틀린 예측의 비율입니다.",
            hint_en="Precision counts the right ones: 30 of them.",
            hint_ko="정밀도는 맞은 것을 셉니다: 30개입니다.",
        )
    if abs(number - 88.2) < 0.1:
        return wrong(
            en="Right idea, but give a fraction between 0 and 1, not a percentage.",
            ko="생각은 맞았지만, 백분율이 아니라 0과 1 사이의 비율로 답하세요.",
        )
    return wrong(
        en=f"{number:g} is not the precision.",
        ko=f"정밀도가 아닙니다: {number:g}",
        hint_en="Precision = true 8s predicted 8 / all images predicted 8.",
        hint_ko="정밀도 = 8로 예측한 실제 8의 수 / 8로 예측한 모든 이미지의 수.",
    )


@register(
    "10.2",
    title_en="Scaling the digit pixels",
    title_ko="숫자 이미지의 픽셀 스케일링",
    question_en="""
        The 8x8 digits' pixels go from 0 to 16. By what number do you divide them so that they
        lie in [0, 1]?
    """,
    question_ko="""
        8x8 숫자 이미지의 픽셀 값은 0부터 16까지입니다. 픽셀 값이 [0, 1] 범위에 들어가게
        하려면 어떤 수로 나눕니까?
    """,
    solution_en="""
        answer = 16   # the largest possible pixel value (MNIST's is 255)
    """,
    solution_ko="""
        answer = 16   # 픽셀이 가질 수 있는 가장 큰 값 (MNIST에서는 255)
    """,
)
def pixel_divisor(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer)
    if number == 16:
        return correct(
            en="Dividing by the largest possible value, 16, maps 0..16 onto 0..1 and "
            "fits nothing on the data, so nothing leaks.",
            ko="가능한 가장 큰 값 16으로 나누면 0..16이 0..1로 옮겨지고, 데이터로 fit하는 것이 "
            "없으니 새어 나갈(leak) 정보도 없습니다.",
        )
    if number == 255:
        return wrong(
            en="255 is MNIST's largest pixel value (8-bit images); these digits go up to "
            "16, so they would end up between 0 and 0.063.",
            ko="255는 MNIST(8비트 이미지)의 가장 큰 픽셀 값입니다. 이 숫자 이미지는 16까지이므로 "
            "0과 0.063 사이에 몰리게 됩니다.",
            hint_en="Divide by the largest value THESE pixels can take.",
            hint_ko="이 픽셀들이 가질 수 있는 가장 큰 값으로 나누세요.",
        )
    if number == 17:
        return wrong(
            en="There are 17 possible values (0 to 16), but the largest is 16: 16/17 "
            "would never reach 1.",
            ko="가능한 값은 17가지(0부터 16)이지만 가장 큰 값은 16입니다: 16/17로는 결코 1에 "
            "닿지 않습니다.",
            hint_en="Divide by the maximum.",
            hint_ko="최댓값으로 나누세요.",
        )
    if number == 8 or number == 64:
        return wrong(
            en=f"{number:g} comes from the image size, not from the pixel values.",
            ko=f"이 수({number:g})는 픽셀 값이 아니라 이미지 크기에서 나왔습니다.",
            hint_en="Pixel values go from 0 to 16.",
            hint_ko="픽셀 값은 0부터 16까지입니다.",
        )
    return wrong(
        en=f"Dividing by {number:g} does not map 0..16 onto [0, 1].",
        ko=f"이 수({number:g})로 나누면 0..16이 [0, 1]로 옮겨지지 않습니다.",
        hint_en="Divide by the largest pixel value.",
        hint_ko="가장 큰 픽셀 값으로 나누세요.",
    )


def _reference_shift(images, rows, columns):
    """The images moved `rows` down and `columns` right, the uncovered pixels 0."""
    moved = np.roll(images, (rows, columns), axis=(1, 2))
    if rows > 0:
        moved[:, :rows, :] = 0
    if rows < 0:
        moved[:, rows:, :] = 0
    if columns > 0:
        moved[:, :, :columns] = 0
    if columns < 0:
        moved[:, :, columns:] = 0
    return moved


SHIFTS = [(-1, 0), (1, 0), (0, -1), (0, 1), (2, -1), (-3, 2), (0, 0)]


def _shift_images():
    """Three 8x8 test images with pixels 1 to 16, so a blanked pixel (0) is never a coincidence."""
    return np.random.default_rng(10).integers(1, 17, size=(3, 8, 8)).astype(float)


@register(
    "10.3",
    title_en="Shifting digits by hand",
    title_ko="숫자 이미지 직접 이동하기",
    question_en="""
        Write shift(images, rows, columns): move a batch of 8x8 images (shape (n, 8, 8)) by
        `rows` pixels down (negative: up) and `columns` pixels right (negative: left); the
        pixels uncovered at the edge become 0 (white). Return a new array; leave `images` as
        it is. shift(images, -1, 0) gives section 2's copies moved up.
    """,
    question_ko="""
        8x8 이미지 묶음(모양 (n, 8, 8))을 아래로 `rows` 픽셀(음수면 위로), 오른쪽으로
        `columns` 픽셀(음수면 왼쪽으로) 옮기는 함수 shift(images, rows, columns)를
        작성하세요. 가장자리에 드러난 픽셀은 0(흰색)이 됩니다. 새 배열을 돌려주고,
        `images`는 그대로 두세요. shift(images, -1, 0)은 2절의 위로 옮긴 복사본입니다.
    """,
    solution_en="""
        import numpy as np

        def shift(images, rows, columns):
            moved = np.roll(images, (rows, columns), axis=(1, 2))   # a new array
            if rows > 0:
                moved[:, :rows, :] = 0      # the rows that wrapped round from the bottom
            if rows < 0:
                moved[:, rows:, :] = 0      # ... from the top
            if columns > 0:
                moved[:, :, :columns] = 0   # the columns that wrapped round from the right
            if columns < 0:
                moved[:, :, columns:] = 0   # ... from the left
            return moved

        answer = shift
    """,
    solution_ko="""
        import numpy as np

        def shift(images, rows, columns):
            moved = np.roll(images, (rows, columns), axis=(1, 2))   # 새 배열
            if rows > 0:
                moved[:, :rows, :] = 0      # 아래쪽에서 넘어온 행
            if rows < 0:
                moved[:, rows:, :] = 0      # ... 위쪽에서
            if columns > 0:
                moved[:, :, :columns] = 0   # 오른쪽에서 넘어온 열
            if columns < 0:
                moved[:, :, columns:] = 0   # ... 왼쪽에서
            return moved

        answer = shift
    """,
)
def shift_function(answer):
    images = _shift_images()
    results = {}
    try:
        for rows, columns in SHIFTS:
            given = images.copy()
            results[rows, columns] = call_answer(answer, given, rows, columns)
            if not np.array_equal(given, images):
                return wrong(
                    en=f"shift(images, {rows}, {columns}) changed the images it was given.",
                    ko=f"shift(images, {rows}, {columns})가 받은 이미지를 바꾸었습니다.",
                    hint_en="Work on a new array: np.roll returns one, so does images.copy().",
                    hint_ko="새 배열로 작업하세요. np.roll도 images.copy()도 새 배열을 돌려줍니다.",
                )
    except AnswerFailed as failed:
        return failed.verdict
    shapes = [np.shape(result) for result in results.values() if np.shape(result) != images.shape]
    if shapes:
        return wrong(
            en=f"shift returned shape {shapes[0]}, not the shape it was given, {images.shape}.",
            ko=f"shift가 받은 모양 {images.shape}이 아니라 모양 {shapes[0]}을 돌려주었습니다.",
            hint_en="Keep the shape (n, 8, 8): move the pixels inside each image.",
            hint_ko="모양 (n, 8, 8)을 유지하고, 각 이미지 안에서 픽셀을 옮기세요.",
        )

    def matches(move):
        return all(np.array_equal(results[r, c], move(images, r, c)) for r, c in SHIFTS)

    if matches(_reference_shift):
        return correct(
            en="Every pixel moves, and the rows and columns uncovered at the edge are blank. "
            "shift(x, -1, 0), shift(x, 1, 0), shift(x, 0, -1) and shift(x, 0, 1) are the "
            "four copies of section 2.",
            ko="모든 픽셀이 옮겨지고, 가장자리에 드러난 행과 열은 비어 있습니다. "
            "shift(x, -1, 0), shift(x, 1, 0), shift(x, 0, -1), shift(x, 0, 1)이 2절의 "
            "복사본 네 개입니다.",
        )
    if matches(lambda x, r, c: np.roll(x, (r, c), axis=(1, 2))):
        return wrong(
            en="The pixels that leave on one side come back on the other (np.roll wraps "
            "round): a digit moved up grows a stroke at the bottom.",
            ko="한쪽으로 나간 픽셀이 반대쪽으로 돌아옵니다(np.roll은 돌려 붙입니다). 위로 옮긴 "
            "숫자의 아래쪽에 획이 생깁니다.",
            hint_en="After np.roll, set the wrapped rows or columns to 0.",
            hint_ko="np.roll 다음에, 넘어온 행이나 열을 0으로 만드세요.",
        )
    if matches(lambda x, r, c: _reference_shift(x, -r, -c)):
        return wrong(
            en="Every shift goes the wrong way: positive rows move the image DOWN, positive "
            "columns move it RIGHT.",
            ko="모든 이동이 반대 방향입니다. rows가 양수면 아래로, columns가 양수면 오른쪽으로 "
            "옮겨야 합니다.",
            hint_en="np.roll(x, 1, axis=1) moves every row one step down.",
            hint_ko="np.roll(x, 1, axis=1)은 모든 행을 한 칸 아래로 옮깁니다.",
        )
    if matches(lambda x, r, c: _reference_shift(x, c, r)):
        return wrong(
            en="Rows and columns are swapped: `rows` moves up and down (axis 1), `columns` "
            "left and right (axis 2).",
            ko="행과 열이 바뀌었습니다. `rows`는 위아래(axis 1), `columns`는 좌우(axis 2)로 "
            "옮깁니다.",
            hint_en="Images have shape (n, 8, 8): axis 1 counts rows, axis 2 columns.",
            hint_ko="이미지 모양은 (n, 8, 8)입니다. axis 1은 행, axis 2는 열입니다.",
        )
    single = [(r, c) for r, c in SHIFTS if abs(r) + abs(c) == 1]
    if all(np.array_equal(results[s], _reference_shift(images, *s)) for s in single):
        return wrong(
            en="One-pixel shifts are right, but shifts by several pixels or in two directions "
            "at once are not: shift(x, 2, -1) must move 2 rows down AND 1 column left.",
            ko="한 픽셀 이동은 맞지만, 여러 픽셀이나 두 방향을 함께 옮기는 이동이 틀렸습니다. "
            "shift(x, 2, -1)은 2행 아래로, 그리고 1열 왼쪽으로 옮겨야 합니다.",
            hint_en="Blank `rows` rows and `columns` columns, not always one.",
            hint_ko="늘 하나가 아니라 `rows`개의 행과 `columns`개의 열을 비우세요.",
        )
    hint = dict(
        hint_en="Compare shift(x, -1, 0)[0] with x[0] on a small example: row 1 becomes row 0.",
        hint_ko="작은 예에서 shift(x, -1, 0)[0]을 x[0]과 비교해 보세요. 1행이 0행이 됩니다.",
    )
    if not np.array_equal(results[-1, 0], _reference_shift(images, -1, 0)):
        return wrong(
            en="shift(images, -1, 0) is not the images moved one pixel up with a blank bottom row.",
            ko="shift(images, -1, 0)이 한 픽셀 위로 옮기고 맨 아래 행을 비운 이미지가 아닙니다.",
            **hint,
        )
    return wrong(
        en="Moving up works, but some of the other shifts (down, left, right, by 2 or 3 "
        "pixels) do not.",
        ko="위로 옮기기는 맞지만, 다른 이동(아래, 왼쪽, 오른쪽, 2나 3 픽셀) 가운데 몇 개가 "
        "틀렸습니다.",
        **hint,
    )
