/** Work per key runs one piece at a time, in the order it was asked for; different keys run side by side. */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.tails.set(key, run);
    void run
      .finally(() => {
        if (this.tails.get(key) === run) this.tails.delete(key);
      })
      .catch(() => undefined);
    return run;
  }
}
