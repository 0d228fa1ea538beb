process.stderr.write('lifeguard: not built yet\n');
process.exit(2);
