/** Where a transfer stands; given to progress listeners after every chunk. */
export interface TransferProgress {
  /** The file being transferred (board path for writes and reads). */
  file: string;
  fileBytesDone: number;
  fileBytes: number;
  /** Over the whole operation (all files). */
  bytesDone: number;
  bytesTotal: number;
}

export type ProgressListener = (progress: TransferProgress) => void;

/** Adds up per-file progress into whole-operation progress. */
export class ProgressTally {
  private finishedBytes = 0;

  constructor(
    readonly bytesTotal: number,
    private readonly listener: ProgressListener | undefined,
  ) {}

  report(file: string, fileBytesDone: number, fileBytes: number): void {
    this.listener?.({ file, fileBytesDone, fileBytes, bytesDone: this.finishedBytes + fileBytesDone, bytesTotal: this.bytesTotal });
  }

  fileFinished(fileBytes: number): void {
    this.finishedBytes += fileBytes;
  }
}
