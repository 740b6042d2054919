import asyncio
import threading

from widgets.autosave import Debouncer, _call_later_on_running_loop


def in_fresh_thread(function):
    """Run ``function`` in a thread with no event loop (pytest's main thread may have one:
    Playwright's sync API keeps a loop running there once the browser tests have started)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


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
    assert (
        in_fresh_thread(lambda: _call_later_on_running_loop(0.5, lambda: calls.append(1))) is None
    )
    assert calls == [1]


def test_on_a_running_loop_the_call_waits_for_the_delay():
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

    start = in_fresh_thread(lambda: asyncio.run(scenario()))
    assert len(calls) == 1 and calls[0] - start >= 0.05
