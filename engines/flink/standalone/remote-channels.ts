/**
 * The two ends of a network channel whose producer and consumer run in different slots (threads) or
 * TaskManagers (processes), as Flink's remote input channel and its partition request client: the
 * producer's subpartition hands each buffer to a {@link RemoteConsumer}, which sends it on the data
 * channel; the consumer's InputChannel announces credit through a {@link RemoteCreditTarget}, which sends
 * it back as a message. The credit-based flow control of result-partition.ts and input-gate.ts is
 * unchanged: only its messages now travel.
 */
import { DATA_BACKLOG, DATA_BUFFER, DATA_EVENT, DATA_CREDIT, type DataLink } from '../../runtime/cluster/index.js';
import type { CreditTarget } from '../network/input-gate.js';
import type { NetworkBuffer } from '../network/network-buffer.js';
import type { ConsumerChannel } from '../network/result-partition.js';
import type { ExecutionGraph } from '../jobmanager/execution-graph.js';

/** Sends a subpartition's buffers and backlog announcements to the consumer's slot. */
export class RemoteConsumer implements ConsumerChannel {
  constructor(
    private readonly link: DataLink,
    private readonly consumerSlot: number,
    private readonly channel: number,
  ) {}

  onBuffer(buffer: NetworkBuffer, backlog: number): void {
    // The bytes move to the other side: the subpartition never touches a buffer after handing it over.
    this.link.send({
      to: this.consumerSlot,
      channel: this.channel,
      kind: buffer.isBuffer ? DATA_BUFFER : DATA_EVENT,
      a: buffer.elements,
      b: backlog,
      bytes: buffer.bytes,
    });
  }

  onSenderBacklog(backlog: number): void {
    this.link.send({ to: this.consumerSlot, channel: this.channel, kind: DATA_BACKLOG, a: 0, b: backlog });
  }
}

/** Sends an input channel's credits to the producer's slot. */
export class RemoteCreditTarget implements CreditTarget {
  constructor(
    private readonly link: DataLink,
    private readonly producerSlot: number,
    private readonly channel: number,
  ) {}

  addCredit(_subpartition: number, credits: number): void {
    this.link.send({ to: this.producerSlot, channel: this.channel, kind: DATA_CREDIT, a: credits, b: 0 });
  }
}

/** The logical channel id of every ExecutionEdge, per JobEdge id and connection index: the same in every process. */
export function channelIds(graph: ExecutionGraph): number[][] {
  let next = 0;
  return graph.connections.map((conns) => conns.map(() => next++));
}
