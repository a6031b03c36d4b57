import type { LoadOptions } from "../load.js";

export type LoadRequest = ReturnType<LoadOptions["next"]>;

/** Units at the end of a race, counted in the subject's own database. */
export interface RaceCount {
  /** Units on the shelf at the location. */
  readonly stocked: number;
  /** Units held by the reservation records themselves (what the system promised). */
  readonly reserved: number;
  /** The location's own reserved counter, where the system keeps one beside the records. */
  readonly reservedCounter: number;
}

/** One system under the same load: this product through its HTTP API, or the peer behind its wrapper. */
export interface Subject {
  readonly name: string;
  readonly url: string;
  /** Server processes of one deployment that a race is split over evenly (default: `url` alone). */
  readonly urls?: readonly string[];
  /** Seeds `items` (location, item) pairs, `stockedEach` units each; returns a random adjustment of +1 and the sum of stocked units over them. */
  spreadItems(items: number, stockedEach: number): Promise<{ next: () => LoadRequest; stockedTotal: () => Promise<number> }>;
  /** A fresh item with `units` at one location; returns a one-unit reservation of it and the count once the race is over. */
  raceItem(run: number, units: number): Promise<{ next: () => LoadRequest; count: () => Promise<RaceCount> }>;
}
