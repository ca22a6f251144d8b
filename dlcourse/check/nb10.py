"""Exercises of notebook 10 (capstone): precision, batch-normalization parameters, pixel scale."""

from dlcourse.check._registry import as_number, correct, not_a_number, register, wrong


@register(
    "10.1",
    title="Precision from a confusion matrix",
    question="""
        The column of digit 8 (predicted 8) holds 30 true 8s and 4 other digits; the row of
        digit 8 (true 8) holds the 30 plus 2 predicted as other digits. Precision for digit 8?
    """,
    solution="""
        answer = 30 / (30 + 4)   # of the images PREDICTED 8, the share that really are 8
    """,
)
def precision_for_eight(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one number between 0 and 1")
    if abs(number - 30 / 34) < 1e-3:
        return correct("Precision: of the 34 images predicted 8, 30 are 8s: 30 / 34 ≈ 0.882.")
    if abs(number - 30 / 32) < 1e-3:
        return wrong(
            "30 / 32 is the RECALL: of the 32 real 8s, the share found.",
            hint="Precision looks at the images PREDICTED 8: the column.",
        )
    if abs(number - 30 / 36) < 1e-3:
        return wrong(
            "You added both kinds of mistakes: 30 / 36 is neither precision nor recall.",
            hint="Precision: only the column (predicted 8).",
        )
    if abs(number - 4 / 34) < 1e-3 or abs(number - 4 / 30) < 1e-3:
        return wrong(
            "That is the share of WRONG predictions among the predicted 8s.",
            hint="Precision counts the right ones: 30 of them.",
        )
    if abs(number - 88.2) < 0.1:
        return wrong("Right idea, but give a fraction between 0 and 1, not a percentage.")
    return wrong(
        f"{number:g} is not the precision.",
        hint="Precision = true 8s predicted 8 / all images predicted 8.",
    )


@register(
    "10.2",
    title="Trainable parameters of BatchNormalization",
    question="""
        How many trainable parameters does BatchNormalization() after Dense(128) have?
    """,
    solution="""
        units = 128
        answer = 2 * units   # gamma (scale) and beta (shift) per unit; the moving mean and
                             # variance are weights too, but not trainable
    """,
)
def batch_norm_parameters(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one whole number")
    if number == 256:
        return correct(
            "gamma and beta, one of each per unit: 2 × 128 = 256 trainable; the "
            "moving mean and variance (another 256) are updated, not trained."
        )
    if number == 512:
        return wrong(
            "512 counts all four vectors; the moving mean and moving variance are "
            "not trained by gradient descent.",
            hint="Only the scale gamma and the shift beta are trainable.",
        )
    if number == 128:
        return wrong(
            "128 is one vector; batch normalization learns two per unit.",
            hint="It scales AND shifts the normalized values.",
        )
    if number in (2, 4):
        return wrong(
            f"{number:g} per unit, but there are 128 units.",
            hint="Each unit has its own gamma and beta.",
        )
    if number == 128 * 64 + 64 or number == 64 * 128 + 128:
        return wrong(
            "That is a Dense layer's count; batch normalization has no kernel.",
            hint="It has a gamma and a beta for each of the 128 units.",
        )
    return wrong(f"{number:g} is not the count.", hint="gamma and beta, each of shape (128,).")


@register(
    "10.3",
    title="Scaling the digit pixels",
    question="""
        The 8x8 digits' pixels go from 0 to 16. By what number do you divide them so that they
        lie in [0, 1]?
    """,
    solution="""
        answer = 16   # the largest possible pixel value (MNIST's is 255)
    """,
)
def pixel_divisor(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one number")
    if number == 16:
        return correct(
            "Dividing by the largest possible value, 16, maps 0..16 onto 0..1 and "
            "fits nothing on the data, so nothing leaks."
        )
    if number == 255:
        return wrong(
            "255 is MNIST's largest pixel value (8-bit images); these digits go up to "
            "16, so they would end up between 0 and 0.063.",
            hint="Divide by the largest value THESE pixels can take.",
        )
    if number == 17:
        return wrong(
            "There are 17 possible values (0 to 16), but the largest is 16: 16/17 "
            "would never reach 1.",
            hint="Divide by the maximum.",
        )
    if number == 8 or number == 64:
        return wrong(
            f"{number:g} comes from the image size, not from the pixel values.",
            hint="Pixel values go from 0 to 16.",
        )
    return wrong(
        f"Dividing by {number:g} does not map 0..16 onto [0, 1].",
        hint="Divide by the largest pixel value.",
    )
