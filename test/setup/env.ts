process.env.X='1';
