"""The server-rendered SVG chart (pure function, no database)."""

from datetime import UTC, datetime, timedelta

from shopbridge.dashboard.charts import Bar, hourly_bars_svg


def _bars(values):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [Bar(at=start + timedelta(hours=i), ok=ok, failed=failed) for i, (ok, failed) in enumerate(values)]


def test_one_stack_per_hour_scaled_to_a_round_maximum():
    svg = hourly_bars_svg(_bars([(3, 1), (0, 0), (7, 0)]))

    assert svg.count('class="ok"') == 2
    assert svg.count('class="failed"') == 1
    assert ">10</text>" in svg
    assert "10 successful and 1 failed over 3 hours" in svg


def test_an_empty_period_renders_an_empty_axis():
    svg = hourly_bars_svg(_bars([(0, 0)] * 24))

    assert "<rect" not in svg
    assert ">1</text>" in svg


def test_the_title_is_escaped():
    svg = hourly_bars_svg(_bars([(1, 0)]), title="<script>x</script>")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
