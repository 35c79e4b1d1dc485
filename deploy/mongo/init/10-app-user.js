// Runs once, when MongoDB starts on an empty data volume (the mongo image's
// /docker-entrypoint-initdb.d): makes the user the web app and the bot
// connect as, allowed to read and write the `spares` database only. The root
// user (MONGO_USER) is for administration, never for the applications.
// A volume made before this script existed: run the same createUser by hand
// (mongosh as root), or start from a fresh volume after `spares migrate`.
const user = process.env.MONGO_APP_USER || 'spares_app';
const pwd = process.env.MONGO_APP_PASSWORD;
if (!pwd) {
  throw new Error('MONGO_APP_PASSWORD is not set: the application user cannot be created');
}
db.getSiblingDB('spares').createUser({
  user: user,
  pwd: pwd,
  roles: [{ role: 'readWrite', db: 'spares' }],
});
