/**
 * An S3-compatible server (s3rver: the S3 HTTP API over a local folder) in a process of its own, for the
 * S3 storage tests. Run plainly with node: `node test/support/s3-server.js <folder> <bucket>`; prints
 * `listening <port>` once it serves.
 */
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] })
  .run()
  .then(({ port }) => console.log(`listening ${port}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
