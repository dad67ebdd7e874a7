// Prints a TCP port that is free on 127.0.0.1 right now.
const s = require('node:net').createServer();
s.listen(0, '127.0.0.1', () => {
  process.stdout.write(String(s.address().port));
  s.close();
});
