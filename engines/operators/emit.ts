/** How an operator hands a record on: the value and its three times, without allocating an envelope. */
export type Emit = (value: unknown, eventTime: number, emitTime: number, ingestTime: number) => void;
