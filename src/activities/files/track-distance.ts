import { ActivityFileError } from './activity-file';

const EARTH_RADIUS_M = 6_371_008.8;

/** Cumulative distance along GPS positions (haversine on the mean Earth radius), for files without one. */
export class TrackDistance {
  private total = 0;
  private last: { lat: number; lon: number } | null = null;
  private seen = false;

  /** Metres from the start at this position, or null when the sample has none. */
  add(lat: number | undefined, lon: number | undefined, where: () => string): number | null {
    if (lat === undefined || lon === undefined) {
      return null;
    }
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw new ActivityFileError(422, `Absurd value at ${where()}: position ${lat}, ${lon} is not on Earth`);
    }
    if (this.last) {
      this.total += haversine(this.last.lat, this.last.lon, lat, lon);
    }
    this.last = { lat, lon };
    this.seen = true;
    return this.total;
  }

  get hasPositions(): boolean {
    return this.seen;
  }
}

function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
