from widgets.autosave import Debouncer, _call_later_on_running_loop


def test_many_triggers_become_one_call(clock):
    calls = []
    debouncer = Debouncer(lambda: calls.append(1), 0.5, clock.call_later)
    for _ in range(10):
        debouncer.trigger()
    assert clock.run_due() == 1 and calls == [1]


def test_flush_runs_a_pending_call_now_and_only_once(clock):
    calls = []
    debouncer = Debouncer(lambda: calls.append(1), 0.5, clock.call_later)
    debouncer.flush()
    assert calls == []
    debouncer.trigger()
    debouncer.flush()
    assert calls == [1] and clock.run_due() == 0


def test_without_an_event_loop_the_call_runs_at_once():
    calls = []
    assert _call_later_on_running_loop(0.5, lambda: calls.append(1)) is None
    assert calls == [1]


def test_on_a_running_loop_the_call_waits_for_the_delay():
    import asyncio

    calls = []

    async def scenario():
        debouncer = Debouncer(lambda: calls.append(asyncio.get_running_loop().time()), 0.05)
        start = asyncio.get_running_loop().time()
        debouncer.trigger()
        await asyncio.sleep(0.01)
        debouncer.trigger()  # restarts the wait
        assert calls == []
        await asyncio.sleep(0.2)
        return start

    start = asyncio.run(scenario())
    assert len(calls) == 1 and calls[0] - start >= 0.05
