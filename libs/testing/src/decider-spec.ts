/**
 * given / when / then for pure deciders:
 *   given([...past events]).when(command).then([...new events]) or .thenThrows(ErrorClass)
 * The state is folded from the given events with the decider's own evolve, exactly as production does.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(error: new (...args: never[]) => Error) {
              expect(run).toThrow(error);
            },
          };
        },
      };
    },
  };
}
