"""Word edges for snapping selections: words, punctuation, emoji, accents, right-to-left."""

from __future__ import annotations

import pytest

from annotator.domain.words import (
    Hit,
    cluster_end,
    cluster_start,
    is_word_char,
    selection_between,
    word_end,
    word_start,
)

TEXT = 'The crew of Velmoran shipowner Thalewick Lines, "a harbour fleet", said so.'


def on(text: str, needle: str, offset: int = 0) -> Hit:
    return Hit(text.index(needle) + offset, True)


def test_drag_from_mid_word_to_mid_word_gives_whole_words():
    press = on(TEXT, "crew", 1)  # the "r"
    release = on(TEXT, "Lines", 3)  # the "e"
    start, end = selection_between(TEXT, press, release)
    assert TEXT[start:end] == "crew of Velmoran shipowner Thalewick Lines"


def test_backward_drag_snaps_the_same_way():
    start, end = selection_between(TEXT, on(TEXT, "Lines", 3), on(TEXT, "crew", 1))
    assert TEXT[start:end] == "crew of Velmoran shipowner Thalewick Lines"


def test_punctuation_is_kept_out_unless_pointed_at():
    inside = selection_between(TEXT, on(TEXT, "harbour", 2), on(TEXT, "fleet", 2))
    assert TEXT[inside[0] : inside[1]] == "harbour fleet"
    quote = TEXT.index('"a')
    deliberate = selection_between(TEXT, Hit(quote, True), Hit(TEXT.index('",'), True))
    assert TEXT[deliberate[0] : deliberate[1]] == '"a harbour fleet"'


def test_exact_mode_keeps_the_boundaries():
    a, b = TEXT.index("rew"), TEXT.index("Lines") + 4
    assert selection_between(TEXT, Hit(a, False), Hit(b, False), snap=False) == (a, b)
    assert selection_between(TEXT, Hit(b, False), Hit(a, False), snap=False) == (a, b)


def test_boundary_hits_are_not_extended():
    a = TEXT.index("crew") + 2
    b = TEXT.index("Lines") + 2
    assert selection_between(TEXT, Hit(a, False), Hit(b, False)) == (a, b)


def test_apostrophes_inside_words():
    text = "They don\u2019t know the publisher's 'view'."
    s, e = selection_between(text, on(text, "don", 1), on(text, "don", 1))
    assert text[s:e] == "don\u2019t"
    s, e = selection_between(text, on(text, "publisher", 2), on(text, "view", 1))
    assert text[s:e] == "publisher's 'view"
    assert not is_word_char(text, text.index("'view"))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Le cafe\u0301 noir.", "cafe\u0301"),  # combining accent
        (
            "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd!",
            "\u05e2\u05d5\u05dc\u05dd",
        ),  # Hebrew
        (
            "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645.",
            "\u0628\u0627\u0644\u0639\u0627\u0644\u0645",
        ),
        (
            "Math \U0001d518\U0001d52b\U0001d526 here",
            "\U0001d518\U0001d52b\U0001d526",
        ),  # astral letters
    ],
)
def test_words_in_other_scripts(text, word):
    i = text.index(word)
    for k in range(len(word)):
        assert word_start(text, i + k) == i
        assert word_end(text, i + k) == i + len(word)


def test_emoji_are_whole_characters_and_not_words():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    thumbs = "\U0001f44d\U0001f3fd"
    flag = "\U0001f1eb\U0001f1f7"
    text = f"go {family} now {thumbs} and {flag}."
    f = text.index(family)
    for k in range(len(family)):
        assert cluster_start(text, f + k) == f
        assert cluster_end(text, f + k) == f + len(family)
    t = text.index(thumbs)
    assert selection_between(text, Hit(t + 1, True), Hit(t + 1, True)) == (t, t + len(thumbs))
    g = text.index(flag)
    assert selection_between(text, Hit(g + 1, True), Hit(g, True)) == (g, g + 2)
    # A word next to an emoji does not swallow it.
    s, e = selection_between(text, on(text, "now", 1), on(text, "now", 1))
    assert text[s:e] == "now"


def test_edges_of_the_text():
    text = "word"
    assert selection_between(text, Hit(0, True), Hit(3, True)) == (0, 4)
    assert selection_between(text, Hit(4, False), Hit(0, False)) == (0, 4)
    assert word_start("", 0) == 0 and word_end("", 0) == 0
