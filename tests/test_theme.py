"""The chart colours are readable: every series colour at least 3:1 against white (WCAG's contrast for
lines and bars), labels in a series' colour at least 4.5:1 (text)."""

from __future__ import annotations

import pytest

from app.present import theme

SERIES = sorted({*theme.PALETTE, *theme.POPULATION_COLOURS.values(), *theme.REGION_COLOURS.values(),
                 theme.BLUE, theme.ORANGE})


@pytest.mark.parametrize("colour", SERIES)
def test_series_colours_stand_out_from_white(colour):
    assert theme.contrast(colour) >= 3.0, colour


@pytest.mark.parametrize("colour", SERIES)
def test_labels_in_a_series_colour_are_readable_text(colour):
    assert theme.contrast(theme.ink(colour)) >= 4.5, colour


def test_the_contrast_formula():
    assert theme.contrast("#000000") == pytest.approx(21.0)
    assert theme.contrast("#FFFFFF") == pytest.approx(1.0)
    assert theme.contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_no_two_regions_share_a_hue_but_the_catch_all_groups():
    """Asia and Oceania were both dark gold."""
    named = {region: colour for region, colour in theme.REGION_COLOURS.items() if region not in ("other", "several")}
    assert len(set(named.values())) == len(named)
