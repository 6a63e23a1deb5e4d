// The timer bar: your timer on this ticket (start, pause, resume, stop) and any other you have, counting
// locally from `accumulatedSeconds + (now - startedAt)`; `timerState` brings changes from your other tabs.
import { request, subscribe } from "./api";
import { duration, h } from "./dom";
import type { TimerViewFragment } from "./generated/graphql";
import { PauseTimer, ResumeTimer, StartTimer, StopTimer, TimerChanges, Timers } from "./operations";
import { link } from "./router";

export function timerBar(container: HTMLElement, ticketId: string): () => void {
  let timers: TimerViewFragment[] = [];
  const clocks = new Map<HTMLElement, TimerViewFragment>();
  const problem = h("span", { class: "error", role: "alert" });

  const refresh = async () => {
    try {
      timers = (await request(Timers, {})).viewer.timers;
      show();
    } catch (error) {
      problem.textContent = String(error);
    }
  };
  const act = (run: () => Promise<{ __typename: string; message?: string }>) => async () => {
    problem.textContent = "";
    const outcome = await run().catch((error: unknown) => ({ __typename: "Error", message: String(error) }));
    if (outcome.__typename !== "TimerSuccess") problem.textContent = outcome.message ?? outcome.__typename;
    await refresh();
  };
  const input = { ticketId };
  const start = act(async () => (await request(StartTimer, { input })).startTimer);
  const pause = act(async () => (await request(PauseTimer, { input })).pauseTimer);
  const resume = act(async () => (await request(ResumeTimer, { input })).resumeTimer);
  const stop = act(async () => (await request(StopTimer, { input })).stopTimer);

  function show(): void {
    clocks.clear();
    const mine = timers.find((timer) => timer.ticket?.id === ticketId);
    const others = timers.filter((timer) => timer !== mine && timer.ticket);
    container.dataset.state = mine?.state ?? "NONE";
    const button = (label: string, onclick: () => void) => h("button", { type: "button", onclick }, label);
    container.replaceChildren(
      h("span", { class: "label" }, "Timer"),
      mine ? clock(mine, { "data-testid": "timer-clock" }) : h("span", { "data-testid": "timer-clock" }, "0:00:00"),
      !mine ? button("Start", start) : mine.state === "RUNNING" ? button("Pause", pause) : button("Resume", resume),
      ...(mine ? [button("Stop", stop)] : []),
      ...others.map((timer) =>
        h("span", { class: "other" }, link(`/tickets/${timer.ticket?.number}`, `#${timer.ticket?.number}`), " ", clock(timer))),
      problem,
    );
  }

  function clock(timer: TimerViewFragment, attributes: Record<string, string> = {}): HTMLElement {
    const element = h("span", { class: `clock ${timer.state.toLowerCase()}`, ...attributes }, duration(elapsed(timer)));
    clocks.set(element, timer);
    return element;
  }

  const stopChanges = subscribe(TimerChanges, {}, () => void refresh());
  void refresh();
  const ticking = window.setInterval(() => {
    for (const [element, timer] of clocks) element.textContent = duration(elapsed(timer));
  }, 1000);
  return () => {
    stopChanges();
    window.clearInterval(ticking);
  };
}

function elapsed(timer: TimerViewFragment): number {
  const running = timer.state === "RUNNING" && timer.startedAt ? (Date.now() - Date.parse(timer.startedAt)) / 1000 : 0;
  return timer.accumulatedSeconds + running;
}
