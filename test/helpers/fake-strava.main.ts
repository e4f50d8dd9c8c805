import { FAKE_ATHLETE_ID, startFakeStrava } from './fake-strava.server';
import { serveByHand } from './serve-by-hand';

/**
 * The fake Strava on its own, for trying the service by hand (`npm run fake-strava`): prints the
 * settings to start the server with, and serves a few activities of the last days for athlete 9123456
 * (three with 1-Hz streams, one typed in by hand without streams). `POST /_fake/activities` adds one and
 * answers the webhook event to send. FAKE_STRAVA_PORT picks the port (default 8091).
 */
async function main(): Promise<void> {
  const fake = await startFakeStrava({ port: Number(process.env.FAKE_STRAVA_PORT ?? 8091) });
  const day = 86_400_000;
  const rides = [
    { name: 'Morning endurance', sport_type: 'Ride', daysAgo: 1, seconds: 3600, watts: 180, heartrate: 135 },
    { name: 'Zwift threshold', sport_type: 'VirtualRide', daysAgo: 2, seconds: 2700, watts: 240, heartrate: 160 },
    { name: 'Easy run', sport_type: 'Run', daysAgo: 3, seconds: 1800, heartrate: 140 },
    { name: 'Spin class (typed in)', sport_type: 'Ride', daysAgo: 4, seconds: 2700, heartrate: 150, noStreams: true },
  ];
  for (const { daysAgo, ...ride } of rides) {
    const start = new Date(Date.now() - daysAgo * day);
    start.setUTCHours(7, 0, 0, 0);
    fake.addActivity({ ...ride, start_date: start.toISOString().replace(/\.\d{3}Z$/, 'Z'), cadence: 85 });
  }
  serveByHand(fake, [
    `Fake Strava on ${fake.url} (athlete ${FAKE_ATHLETE_ID}, ${rides.length} activities). Start the server with:`,
    `  STRAVA_BASE_URL=${fake.url} STRAVA_CLIENT_ID=${fake.clientId} STRAVA_CLIENT_SECRET=${fake.clientSecret} \\`,
    `  STRAVA_REDIRECT_URI=http://127.0.0.1:8000/connections/strava/callback STRAVA_WEBHOOK_VERIFY_TOKEN=dev-verify-token \\`,
    `  STRAVA_SUCCESS_REDIRECT=http://localhost:3000/settings`,
    'Its /oauth/authorize approves at once and redirects to the callback.',
    `Add an activity (answers the webhook event to POST to /webhooks/strava): curl -s -X POST ${fake.url}/_fake/activities -d '{"name":"Lunch ride","watts":200,"seconds":1800}'`,
    'Ctrl-C stops it.',
  ]);
}

void main();
