import type { KernelMessage } from '@jupyterlab/services';

type Data = KernelMessage.ICommOpenMsg['content']['data'];
type Publish = (msgType: string, content: object) => void;

/** The kernel's end of one comm. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  send(data: Data): void;
  close(data?: Data): void;
}

/** What a target does with the comms opened to it. */
export interface CommListener {
  onMessage?(data: Data): void;
  onClose?(data: Data): void;
}

/** A comm target (e.g. the lab extension's): called when a frontend opens a comm to it. */
export type CommTarget = (comm: Comm, data: Data) => CommListener | void;

interface OpenComm {
  comm: Comm;
  listener: CommListener;
}

/**
 * Comms opened by frontends, dispatched to the targets registered by name. A comm to an
 * unknown target is closed at once with comm_close, as the protocol asks.
 */
export class CommManager {
  private readonly targets = new Map<string, CommTarget>();
  private readonly comms = new Map<string, OpenComm>();

  /** `publish` sends kernel-side comm messages on iopub. */
  constructor(private readonly publish: Publish) {}

  registerTarget(name: string, target: CommTarget): void {
    this.targets.set(name, target);
  }

  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }

  /** comm_open from a frontend; `reply` publishes in answer to that request. */
  open(content: KernelMessage.ICommOpenMsg['content'], reply: Publish): void {
    const target = this.targets.get(content.target_name);
    if (!target) {
      reply('comm_close', { comm_id: content.comm_id, data: {} });
      return;
    }
    const comm = this.makeComm(content.comm_id, content.target_name);
    const open: OpenComm = { comm, listener: {} };
    this.comms.set(comm.id, open);
    try {
      open.listener = target(comm, content.data ?? {}) ?? {};
    } catch (error) {
      this.comms.delete(comm.id);
      reply('comm_close', { comm_id: comm.id, data: { error: (error as Error).message } });
    }
  }

  message(content: KernelMessage.ICommMsgMsg['content']): void {
    this.comms.get(content.comm_id)?.listener.onMessage?.(content.data ?? {});
  }

  /** comm_close from a frontend. */
  close(content: KernelMessage.ICommCloseMsg['content']): void {
    const open = this.comms.get(content.comm_id);
    this.comms.delete(content.comm_id);
    open?.listener.onClose?.(content.data ?? {});
  }

  /** comm_info_reply's `comms`: every open comm, optionally only those of one target. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const comms: Record<string, { target_name: string }> = {};
    for (const [id, { comm }] of this.comms) if (!targetName || comm.targetName === targetName) comms[id] = { target_name: comm.targetName };
    return comms;
  }

  private makeComm(id: string, targetName: string): Comm {
    return {
      id,
      targetName,
      send: (data) => {
        if (this.comms.has(id)) this.publish('comm_msg', { comm_id: id, data });
      },
      close: (data = {}) => {
        if (this.comms.delete(id)) this.publish('comm_close', { comm_id: id, data });
      },
    };
  }
}
