"""Colour distance (CIEDE2000) and the choice of distinct colours for labels and relations."""

from __future__ import annotations

import pytest

from annotator.domain.colors import (
    DISTINCT,
    LABEL_PALETTE,
    RELATION_COLORS,
    collides,
    delta_e,
    delta_e_lab,
    farthest_color,
    nearest_distance,
    new_label_color,
    tint,
)
from annotator.domain.model import BUILTIN_LABELS


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Pairs 1, 17, 18 and 25 of Sharma, Wu and Dalal's CIEDE2000 test data.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_reference_pairs(lab1, lab2, expected):
    assert delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_lab(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_srgb_extremes():
    assert delta_e("#000000", "#ffffff") == pytest.approx(100.0, abs=0.01)
    assert delta_e("#2e7d32", "#2e7d32") == 0.0


def test_shades_of_one_hue_are_close_and_hues_far():
    assert delta_e("#c62828", "#c42a2a") < 2
    assert collides("#c62828", ["#b71c1c"])
    assert not collides("#c62828", ["#1565c0", "#2e7d32"])


def test_relation_colours_are_apart_from_each_other_and_the_palette():
    relations = list(RELATION_COLORS.values())
    for i, a in enumerate(relations):
        for b in relations[i + 1 :]:
            assert delta_e(a, b) >= DISTINCT, (a, b)
    for color in LABEL_PALETTE:
        assert nearest_distance(color, relations) >= DISTINCT, color
    for _name, color, *_rest in BUILTIN_LABELS:
        assert nearest_distance(color, relations) >= DISTINCT, color


def test_new_label_colour_is_the_farthest_from_those_in_use():
    used = [color for _name, color, *_rest in BUILTIN_LABELS]
    chosen = new_label_color(used)
    assert chosen in LABEL_PALETTE and chosen not in used
    taken = [*used, *RELATION_COLORS.values()]

    def apart(c: str) -> float:  # from the colours in use, and as a highlight
        return min(nearest_distance(c, taken), nearest_distance(tint(c), map(tint, used)))

    assert apart(chosen) == pytest.approx(max(apart(c) for c in LABEL_PALETTE))
    # A run of new labels never repeats a colour while the palette has free ones.
    for _ in range(len(LABEL_PALETTE) - len(used)):
        chosen = new_label_color(used)
        assert chosen not in used
        used.append(chosen)
    # A user-chosen colour next to a palette colour pushes the choice away from it.
    assert new_label_color(["#c0ca33"]) != "#c0ca33"
    assert delta_e(new_label_color(["#c0ca34"]), "#c0ca34") >= DISTINCT


def test_farthest_color_edges():
    assert farthest_color(["#111111", "#eeeeee"], []) == "#111111"
    assert farthest_color(["#111111", "#eeeeee"], ["#000000"]) == "#eeeeee"
    with pytest.raises(ValueError):
        farthest_color([], [])
    with pytest.raises(ValueError):
        delta_e("#12", "#000000")


def test_a_new_labels_highlight_is_not_taken_for_another_labels() -> None:
    """The reader shows a claim as its label's colour at a third of its strength: the fifth
    label was the palette's pink, whose highlight beside the built-in red's is 7 apart."""
    assert tint("#ffffff") == "#ffffff" and tint("#000000") == "#adadad"
    used = [color for _name, color, *_rest in BUILTIN_LABELS]
    for _ in range(3):
        chosen = new_label_color(used)
        assert nearest_distance(tint(chosen), [tint(c) for c in used]) >= 8, chosen
        used.append(chosen)
    assert "#f06292" not in used
