/**
 * The business clock tests share between the fakes and the code under test: the fake JD Cloud
 * (token issue and expiry, quota window, signature skew), the JD Cloud client (signing date) and
 * the refresher (expiry decisions). Advancing it is how a test lets hours pass.
 */
export class TestClock {
  private t: number;

  constructor(start: Date | number = Date.now()) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }

  /** bound, so it can be passed as `now` */
  readonly now = (): Date => new Date(this.t);

  advance(ms: number): this {
    this.t += ms;
    return this;
  }

  advanceMinutes(m: number): this {
    return this.advance(m * 60_000);
  }

  advanceHours(h: number): this {
    return this.advance(h * 3_600_000);
  }
}
