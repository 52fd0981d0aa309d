"""TF 1's app.run and flags (absl-py's)."""
import json

import tensorflow.compat.v1 as tf

flags = tf.app.flags
flags.DEFINE_integer("steps", 3, "how many steps")
flags.DEFINE_string("name", "default", "a name")
FLAGS = flags.FLAGS


def main(argv):
    print("steps:", json.dumps(FLAGS.steps))
    print("name:", json.dumps(FLAGS.name))
    print("rest:", json.dumps(argv[1:]))
    return 4


if __name__ == "__main__":
    tf.app.run()
