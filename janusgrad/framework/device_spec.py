"""Device specs as TF parses and writes them (issue 18: tf.device scopes recorded in graphs):
'/cpu:0' is '/device:CPU:0'; an inner scope's fields replace the enclosing scope's."""

_DEVICE_TYPES = ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU")


def check_spec(spec):
    """TF's parse of a device spec (DeviceSpec._string_to_components), for its errors."""
    if not isinstance(spec, str):
        raise ValueError(f"Expecting a string device name. Got {type(spec)}({spec!r})")
    kinds = 0
    for y in (part.split(":") for part in spec.split("/")):
        if len(y) == 2 and y[0] in ("job", "replica", "task"):
            continue
        if len(y) in (1, 2) and y[0].upper() in _DEVICE_TYPES or len(y) == 3 and y[0] == "device":
            kinds += 1
            if kinds > 1:
                raise ValueError("Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            index = y[-1] if len(y) > 1 else "*"
            if index != "*":
                int(index)
        elif y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")


_FIELDS = ("job", "replica", "task")


def _spec_fields(spec):
    """{job, replica, task, type, index} of a (checked) spec; absent fields left out."""
    out = {}
    for part in spec.split("/"):
        y = part.split(":")
        if len(y) == 2 and y[0] in _FIELDS:
            out[y[0]] = y[1]
        elif y[0] == "device" and len(y) == 3:
            out["type"], out["index"] = y[1].upper(), y[2]
        elif y[0] and y[0].upper() in _DEVICE_TYPES:
            out["type"], out["index"] = y[0].upper(), y[1] if len(y) > 1 else "*"
    return out


def merge_device_specs(outer, inner):
    """The canonical spec of `inner` inside a scope of `outer` (inner's fields win)."""
    fields = _spec_fields(outer) if outer else {}
    fields.update(_spec_fields(inner))
    text = "".join(f"/{k}:{fields[k]}" for k in _FIELDS if k in fields)
    if "type" in fields:
        text += f"/device:{fields['type']}:{fields['index']}"
    return text
