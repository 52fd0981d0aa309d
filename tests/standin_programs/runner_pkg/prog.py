"""Run as a module (`-m runner_pkg.prog`)."""
import json
import sys

import tensorflow as tf

print("argv:", json.dumps(sys.argv[1:]))
print("name:", json.dumps(__name__))
print("package:", json.dumps(__package__))
print("value:", json.dumps(float(tf.reduce_sum(tf.range(5)))))
