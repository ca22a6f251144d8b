"""Exercises of notebook 10 (capstone): precision, batch-normalization parameters, pixel scale."""

from dlcourse.check._registry import as_number, correct, not_a_number, register, wrong


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
    title_en="Trainable parameters of BatchNormalization",
    title_ko="BatchNormalization의 학습 가능한 파라미터",
    question_en="""
        How many trainable parameters does BatchNormalization() after Dense(128) have?
    """,
    question_ko="""
        Dense(128) 뒤에 놓인 BatchNormalization()의 학습 가능한 파라미터는 몇 개입니까?
    """,
    solution_en="""
        units = 128
        answer = 2 * units   # gamma (scale) and beta (shift) per unit; the moving mean and
                             # variance are weights too, but not trainable
    """,
    solution_ko="""
        units = 128
        answer = 2 * units   # 유닛마다 gamma(비례)와 beta(이동); 이동 평균과
                             # 이동 분산도 가중치이지만 학습되지는 않습니다
    """,
)
def batch_norm_parameters(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, wanted_en="one whole number", wanted_ko="정수 하나")
    if number == 256:
        return correct(
            en="gamma and beta, one of each per unit: 2 × 128 = 256 trainable; the "
            "moving mean and variance (another 256) are updated, not trained.",
            ko="유닛마다 gamma와 beta가 하나씩: 2 × 128 = 256개가 학습됩니다. 이동 평균과 "
            "이동 분산(또 256개)은 갱신될 뿐 학습되지는 않습니다.",
        )
    if number == 512:
        return wrong(
            en="512 counts all four vectors; the moving mean and moving variance are "
            "not trained by gradient descent.",
            ko="512는 벡터 네 개를 모두 센 값입니다. 이동 평균(moving mean)과 이동 분산은 "
            "경사 하강법으로 학습되지 않습니다.",
            hint_en="Only the scale gamma and the shift beta are trainable.",
            hint_ko="학습되는 것은 비례 gamma와 이동 beta뿐입니다.",
        )
    if number == 128:
        return wrong(
            en="128 is one vector; batch normalization learns two per unit.",
            ko="128은 벡터 하나입니다. 배치 정규화는 유닛마다 두 개를 학습합니다.",
            hint_en="It scales AND shifts the normalized values.",
            hint_ko="정규화한 값을 비례 조정하고 이동도 합니다.",
        )
    if number in (2, 4):
        return wrong(
            en=f"{number:g} per unit, but there are 128 units.",
            ko=f"유닛 하나에 {number:g}개이지만, 유닛은 128개입니다.",
            hint_en="Each unit has its own gamma and beta.",
            hint_ko="유닛마다 자기 gamma와 beta가 있습니다.",
        )
    if number == 128 * 64 + 64 or number == 64 * 128 + 128:
        return wrong(
            en="That is a Dense layer's count; batch normalization has no kernel.",
            ko="그것은 Dense 층의 파라미터 수입니다. 배치 정규화에는 커널이 없습니다.",
            hint_en="It has a gamma and a beta for each of the 128 units.",
            hint_ko="유닛 128개마다 gamma 하나와 beta 하나가 있습니다.",
        )
    return wrong(
        en=f"{number:g} is not the count.",
        ko=f"개수는 {number:g}개가 아닙니다.",
        hint_en="gamma and beta, each of shape (128,).",
        hint_ko="gamma와 beta는 각각 모양이 (128,)입니다.",
    )


@register(
    "10.3",
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
