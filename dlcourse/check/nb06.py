"""Exercises of notebook 06 (overfitting): the L2 penalty, dropout's scaling, the best epoch."""

import numpy as np

from dlcourse.check._registry import (
    AnswerFailed,
    as_number,
    call_answer,
    correct,
    not_a_number,
    register,
    wrong,
    wrong_if_known,
)


@register(
    "06.1",
    title="The L2 penalty of a layer",
    question="""
        A layer has the weights w = np.array([0.5, -1.0, 2.0]) and
        kernel_regularizer=regularizers.L2(0.01). How much does it add to the loss?
    """,
    solution="""
        import numpy as np
        w = np.array([0.5, -1.0, 2.0])
        answer = 0.01 * np.sum(w ** 2)  # L2(l2) adds l2 * sum(w^2): 0.01 * 5.25
    """,
)
def l2_penalty(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one number")
    w = np.array([0.5, -1.0, 2.0])
    if np.isclose(number, 0.01 * np.sum(w**2)):
        return correct("0.01 × (0.25 + 1 + 4) = 0.0525: the factor times the sum of squares.")
    known = {
        np.sum(w**2): (
            "5.25 is the sum of squares without the factor 0.01.",
            "L2(0.01) multiplies the sum of squares by 0.01.",
        ),
        0.01 * np.sum(np.abs(w)): (
            "You summed |w|: that is the L1 penalty.",
            "L2 squares each weight before summing.",
        ),
        0.01 * np.sum(w): (
            "You summed the weights themselves, so negative ones cancel.",
            "Square each weight first: the penalty can never be negative.",
        ),
        0.01 * np.sqrt(np.sum(w**2)): (
            "You took the norm (square root of the sum of squares).",
            "Keras' L2 uses the squared norm, no square root.",
        ),
        0.5 * 0.01 * np.sum(w**2): (
            "You halved it: some textbooks write λ/2 · Σw², Keras does not.",
            "L2(l2) adds exactly l2 * sum(w**2).",
        ),
        0.01 * np.mean(w**2): (
            "You averaged the squares; the penalty sums them.",
            "Use np.sum, not np.mean.",
        ),
    }
    return wrong_if_known(
        number, known, f"{number:g} is not the penalty.", hint="Compute 0.01 * np.sum(w ** 2)."
    )


@register(
    "06.2",
    title="A kept unit in dropout",
    question="""
        A Dropout(0.2) layer receives the value 3.0 in training, and this unit is kept.
        What value does it output?
    """,
    solution="""
        rate = 0.2
        answer = 3.0 / (1 - rate)  # inverted dropout scales the kept units up
    """,
)
def dropout_kept_value(answer):
    number = as_number(answer)
    if number is None:
        return not_a_number(answer, "one number")
    if np.isclose(number, 3.75):
        return correct(
            "3.0 / (1 − 0.2) = 3.75: kept units are scaled up so the mean output "
            "stays 3.0 and inference needs no change."
        )
    known = {
        3.0: (
            "That is what it outputs at inference; in training the kept units are scaled.",
            "Keras uses inverted dropout: divide by the share that is kept.",
        ),
        2.4: (
            "3.0 × 0.8 is the old (non-inverted) rule, applied at inference instead.",
            "Inverted dropout divides by (1 − rate) during training.",
        ),
        0.0: (
            "0 is what a DROPPED unit outputs; this one is kept.",
            "Kept units are divided by (1 − rate).",
        ),
        15.0: ("You divided by the rate; divide by the share kept, 1 − rate.", "1 − 0.2 = 0.8."),
        0.6: (
            "3.0 × 0.2 multiplies by the rate; kept units are scaled UP.",
            "Divide by (1 − rate).",
        ),
    }
    return wrong_if_known(
        number, known, f"{number:g} is not the output.", hint="Divide the input by (1 − rate)."
    )


_HISTORIES = [
    # chosen so that every typical mistake gives a different pair of answers
    {
        "loss": [1.0, 0.6, 0.4, 0.3, 0.2, 0.1],
        "val_loss": [1.2, 0.8, 0.7, 0.75, 0.9, 1.0],
        "val_accuracy": [0.5, 0.7, 0.8, 0.85, 0.84, 0.83],
    },
    {
        "loss": [0.9, 0.5, 0.2, 0.3],
        "val_loss": [0.7, 0.65, 0.74, 0.8],
        "val_accuracy": [0.6, 0.62, 0.7, 0.65],
    },
]


@register(
    "06.3",
    title="The epoch early stopping restores",
    question="""
        Write best_epoch(history): given a History's dict ({"loss": [...], "val_loss": [...]}),
        return the epoch, counted from 1, where the validation loss was lowest.
    """,
    solution="""
        import numpy as np

        def best_epoch(history):
            return int(np.argmin(history["val_loss"])) + 1

        answer = best_epoch
    """,
)
def best_epoch_function(answer):
    try:
        results = [call_answer(answer, dict(h)) for h in _HISTORIES]
    except AnswerFailed as failed:
        return wrong(*failed.args)
    expected = [int(np.argmin(h["val_loss"])) + 1 for h in _HISTORIES]
    numbers = [as_number(r) for r in results]
    if any(n is None for n in numbers):
        return wrong(
            f"best_epoch returned {results[0]!r}, not an epoch number.",
            hint="Return one whole number, e.g. int(np.argmin(...)) + 1.",
        )
    if numbers == expected:
        return correct("np.argmin finds the lowest validation loss; +1 counts epochs from 1.")
    if numbers == [e - 1 for e in expected]:
        return wrong(
            "That is the index, counted from 0: one epoch too early.",
            hint="Epochs in the plots (and in Keras' messages) count from 1: add 1.",
        )
    if numbers == [int(np.argmin(h["loss"])) + 1 for h in _HISTORIES]:
        return wrong(
            "You used the training loss; it keeps falling while the model overfits.",
            hint='Look at history["val_loss"].',
        )
    if numbers == [int(np.argmin(h["loss"])) for h in _HISTORIES]:
        return wrong(
            "You used the training loss (and counted from 0).",
            hint='Look at history["val_loss"], and add 1.',
        )
    if numbers in (
        [int(np.argmax(h["val_loss"])) + 1 for h in _HISTORIES],
        [int(np.argmax(h["val_loss"])) for h in _HISTORIES],
    ):
        return wrong(
            "You found the HIGHEST validation loss.", hint="A loss is best when lowest: argmin."
        )
    if numbers in (
        [int(np.argmax(h["val_accuracy"])) + 1 for h in _HISTORIES],
        [int(np.argmax(h["val_accuracy"])) for h in _HISTORIES],
    ):
        return wrong(
            "You used the validation accuracy; early stopping here monitors val_loss.",
            hint='Use history["val_loss"] and argmin.',
        )
    if numbers == [len(h["val_loss"]) for h in _HISTORIES]:
        return wrong(
            "That is the last epoch, not the best one.",
            hint="Find where the validation loss is lowest.",
        )
    return wrong(
        f"best_epoch gave {numbers} for two test histories; expected other epochs.",
        hint='Return int(np.argmin(history["val_loss"])) + 1.',
    )
