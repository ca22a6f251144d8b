"""The language the checkers speak: English (the default) or Korean.

A notebook chooses once, in its first cell, and every message, hint, title, question and
solution comment after that comes in that language::

    from dlcourse import check
    check.language("ko")

Every text is written in both languages, side by side (`en=...`, `ko=...`); `pick` returns the
one of the current language. The library's own error messages stay English.
"""

LANGUAGES = {"en": "English", "ko": "Korean"}

_current = "en"


def language(code):
    """Speak `code` from now on in this kernel: "en" (English) or "ko" (Korean)."""
    global _current
    if not isinstance(code, str) or code.strip().lower() not in LANGUAGES:
        known = ", ".join(f"{key!r} ({name})" for key, name in LANGUAGES.items())
        raise ValueError(f"Unknown language {code!r}. Choose one of: {known}.")
    _current = code.strip().lower()


def current_language():
    """The language the checkers speak now: "en" or "ko"."""
    return _current


def pick(en, ko):
    """The text of the current language, from the English and the Korean version."""
    return ko if _current == "ko" else en


def require_both(en, ko, name=""):
    """Refuse a text given in one language only: every text needs its twin.

    `name` is the argument's name without its ending ("hint" for hint_en and hint_ko).
    """
    en_name, ko_name = (f"{name}_en", f"{name}_ko") if name else ("en", "ko")
    if not isinstance(en, str) or not isinstance(ko, str):
        raise TypeError(
            f"{en_name} and {ko_name} must both be text, got {type(en).__name__} and "
            f"{type(ko).__name__}."
        )
    if bool(en) != bool(ko):
        missing = ko_name if en else en_name
        raise ValueError(f"{missing} is missing: every text needs both English and Korean.")
