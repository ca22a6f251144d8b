"""The small part of HDF5 that Keras's weights file (`model.weights.h5`) uses, in pure NumPy.

Keras 3 keeps the weights of a `.keras` file in `model.weights.h5`: nested groups
(`layers/dense/vars`) holding one dataset per variable (`0`, `1`, ...), each a plain
little-endian number array. (Keras can also write `model.weights.npz`, but that store pickles a
dict per layer and its own loader refuses pickles, so `.h5` is the one format Keras reads back.)
dlcourse needs no h5py for it: this module writes and reads exactly that subset, in the layout
that h5py writes by default (superblock version 0, version-1 object headers, groups as symbol
tables: a B-tree of symbol-table nodes naming objects in a local heap, contiguous datasets).

Attributes (name -> value on a group) are written and read too, for Keras's legacy `.h5` model
file, which keeps its config as JSON text and its layer and weight names in them: strings (fixed
length when written; fixed or variable length, from HDF5's global heap, when read), lists of
strings and number arrays.

The reader treats the file as hostile: every address and size is checked against the file
before use, groups may not loop or nest deeper than a limit, and only number arrays are read.
Anything outside the subset (compression, chunked or external storage, other datatypes,
newer file-format versions) is refused with `HDF5Error`, a ValueError, naming what it found.
"""

import struct

import numpy as np

SIGNATURE = b"\x89HDF\r\n\x1a\n"
UNDEFINED = 0xFFFFFFFFFFFFFFFF
_FREE_NULL = 1  # a local heap's "no free block"
_LEAF_K = 4  # a symbol-table node holds up to 2K entries
_MAX_DEPTH = 32
_MAX_OBJECTS = 200_000
_MAX_RANK = 32


ATTRIBUTE_LIMIT = 64512  # bytes; HDF5 keeps an attribute in its object header (Keras's limit)


class HDF5Error(ValueError):
    """An HDF5 file outside the subset dlcourse reads, or a damaged one."""


class AttributeTooLarge(ValueError):
    """An attribute bigger than an object header holds (ATTRIBUTE_LIMIT)."""


def _pad8(data):
    return data + b"\0" * (-len(data) % 8)


# ----- writing ------------------------------------------------------------------------------


def write(tree, attributes=None):
    """HDF5 file bytes for `tree`: a dict of name -> (dict for a group | NumPy array).

    Names are plain strings without '/'; arrays keep their shape and number dtype.
    `attributes` maps a group's path ('' for the root, 'model_weights/dense') to its
    attributes {name: str, list of str, or NumPy number array}.
    """
    writer = _Writer(tree, attributes or {})
    return writer.data


class _Writer:
    def __init__(self, tree, attributes):
        self.attributes = attributes
        groups = [tree]
        stack = [tree]
        while stack:  # the largest group sets the internal node K of every group's B-tree
            for value in stack.pop().values():
                if isinstance(value, dict):
                    groups.append(value)
                    stack.append(value)
        most = max(len(g) for g in groups)
        nodes = -(-most // (2 * _LEAF_K))  # symbol-table nodes of the largest group
        self.internal_k = max(16, -(-nodes // 2))
        self.buffer = bytearray(96)  # the superblock comes last, once addresses are known
        root_header, root_btree, root_heap = self._group(tree, "")
        self.buffer[0:96] = self._superblock(root_header, root_btree, root_heap)
        self.data = bytes(self.buffer)

    def _append(self, data):
        address = len(self.buffer)
        self.buffer += _pad8(data)
        return address

    def _superblock(self, root_header, root_btree, root_heap):
        head = SIGNATURE + bytes([0, 0, 0, 0, 0, 8, 8, 0])
        head += struct.pack("<HHI", _LEAF_K, self.internal_k, 0)
        head += struct.pack("<QQQQ", 0, UNDEFINED, len(self.buffer), UNDEFINED)
        root_entry = struct.pack("<QQII", 0, root_header, 1, 0) + struct.pack(
            "<QQ", root_btree, root_heap
        )
        return head + root_entry

    def _object_header(self, messages):
        body = b"".join(
            struct.pack("<HHB3x", kind, len(_pad8(data)), flags) + _pad8(data)
            for kind, data, flags in messages
        )
        return self._append(struct.pack("<BBHII4x", 1, 0, len(messages), 1, len(body)) + body)

    def _group(self, group, path):
        names = sorted(group, key=lambda n: n.encode("utf-8"))
        children = []
        for name in names:
            if "/" in name or not name or "\0" in name:
                raise ValueError(f"Invalid HDF5 object name {name!r}.")
            value = group[name]
            if isinstance(value, dict):
                children.append(self._group(value, f"{path}/{name}" if path else name)[0])
            else:
                children.append(self._dataset(np.asarray(value)))
        heap_data, offsets = bytearray(8), []  # offset 0: the empty name
        for name in names:
            offsets.append(len(heap_data))
            heap_data += _pad8(name.encode("utf-8") + b"\0")
        heap_data_address = self._append(bytes(heap_data))
        heap = self._append(
            b"HEAP" + bytes(4) + struct.pack("<QQQ", len(heap_data), _FREE_NULL, heap_data_address)
        )
        nodes, keys = [], [0]
        capacity = 2 * _LEAF_K
        for start in range(0, max(len(names), 1), capacity):
            chunk = list(zip(offsets, children))[start : start + capacity]
            entries = b"".join(
                struct.pack("<QQII16x", offset, address, 0, 0) for offset, address in chunk
            )
            entries += bytes(40 * (capacity - len(chunk)))
            nodes.append(self._append(b"SNOD" + struct.pack("<BBH", 1, 0, len(chunk)) + entries))
            keys.append(chunk[-1][0] if chunk else 0)
        slots = 2 * self.internal_k
        body = b"".join(struct.pack("<QQ", key, child) for key, child in zip(keys, nodes))
        body += struct.pack("<Q", keys[-1]) + bytes(16 * (slots - len(nodes)))
        btree = self._append(
            b"TREE"
            + struct.pack("<BBH", 0, 0, len(nodes))
            + struct.pack("<QQ", UNDEFINED, UNDEFINED)
            + body
        )
        messages = [(0x11, struct.pack("<QQ", btree, heap), 0)]
        for name, value in self.attributes.get(path, {}).items():
            messages.append((0x0C, _attribute(name, value), 0))
        header = self._object_header(messages)
        return header, btree, heap

    def _dataset(self, array):
        array = np.asarray(array, order="C")  # (ascontiguousarray would make a scalar 1-D)
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        raw = array.tobytes()
        address = self._append(raw) if raw else UNDEFINED
        space = struct.pack("<BBB5x", 1, array.ndim, 0) + b"".join(
            struct.pack("<Q", d) for d in array.shape
        )
        messages = [
            (0x01, space, 0),
            (0x03, _datatype(array.dtype), 1),
            (0x05, bytes([2, 2, 2, 1, 0, 0, 0, 0]), 1),
            (0x08, struct.pack("<BBQQ", 3, 1, address, len(raw)), 0),
        ]
        return self._object_header(messages)


def _attribute(name, value):
    """An attribute message (version 1): name, datatype, dataspace, then the data."""
    if isinstance(value, str) or (
        isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    ):
        items = [value] if isinstance(value, str) else list(value)
        encoded = [v.encode("utf-8") for v in items]
        size = max([1] + [len(e) for e in encoded])
        datatype = struct.pack("<BBBBI", 0x13, 0x11, 0, 0, size)  # fixed length, null-padded, UTF-8
        shape = () if isinstance(value, str) else (len(items),)
        data = b"".join(e.ljust(size, b"\0") for e in encoded)
    else:
        array = np.asarray(value)
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        datatype, shape, data = _datatype(array.dtype), array.shape, array.tobytes()
    space = struct.pack("<BBB5x", 1, len(shape), 0) + b"".join(struct.pack("<Q", d) for d in shape)
    key = name.encode("utf-8") + b"\0"
    head = struct.pack("<BBHHH", 1, 0, len(key), len(datatype), len(space))
    message = head + _pad8(key) + _pad8(datatype) + _pad8(space) + data
    if len(message) > ATTRIBUTE_LIMIT:
        raise AttributeTooLarge(f"The HDF5 attribute {name!r} takes {len(message)} bytes.")
    return message


def _datatype(dtype):
    if dtype.kind == "f":
        size = dtype.itemsize
        exponent, mantissa, bias = {2: (5, 10, 15), 4: (8, 23, 127), 8: (11, 52, 1023)}[size]
        bits = size * 8
        return struct.pack("<BBBBI", 0x11, 0x20, bits - 1, 0, size) + struct.pack(
            "<HHBBBBI", 0, bits, mantissa, exponent, 0, mantissa, bias
        )
    if dtype.kind in "iu" or dtype.kind == "b":
        signed = 0x08 if dtype.kind == "i" else 0
        return struct.pack("<BBBBI", 0x10, signed, 0, 0, dtype.itemsize) + struct.pack(
            "<HH", 0, dtype.itemsize * 8
        )
    raise ValueError(f"Cannot write arrays of dtype {dtype} to HDF5: numbers only.")


# ----- reading ------------------------------------------------------------------------------


def read(data, max_bytes=4 << 30, attributes=False):
    """The groups and datasets of HDF5 file bytes as nested dicts of NumPy arrays; with
    `attributes=True`, also the groups' attributes: (tree, {group path: {name: value}})."""
    reader = _Reader(bytes(data), max_bytes)
    return (reader.tree, reader.attributes) if attributes else reader.tree


class _Reader:
    def __init__(self, data, max_bytes):
        self.data = data
        self.budget = max_bytes
        self.objects = 0
        self.attributes = {}  # group path -> {name: value}
        self.heaps = {}  # global heap collections read so far, by address
        self.heap_bytes = 0
        if not data.startswith(SIGNATURE):
            raise HDF5Error("not an HDF5 file (no HDF5 signature at its start)")
        version = self._bytes(8, 1)[0]
        if version not in (0, 1):
            raise HDF5Error(
                f"HDF5 superblock version {version}: dlcourse reads the default "
                f"format h5py writes (versions 0 and 1)"
            )
        sizes = self._bytes(13, 2)
        if tuple(sizes) != (8, 8):
            raise HDF5Error(f"HDF5 offsets/lengths of {sizes[0]}/{sizes[1]} bytes (expected 8/8)")
        leaf_k, self.internal_k = struct.unpack("<HH", self._bytes(16, 4))
        if not (0 < leaf_k <= 1 << 15 and 0 < self.internal_k <= 1 << 15):
            raise HDF5Error("invalid B-tree sizes in the HDF5 superblock")
        self.leaf_k = leaf_k
        base = 24 + (4 if version == 1 else 0)
        self.base = struct.unpack("<Q", self._bytes(base, 8))[0]
        if self.base != 0:
            raise HDF5Error("HDF5 files with a base address other than 0 are not supported")
        root_entry = base + 32
        root_header = struct.unpack("<Q", self._bytes(root_entry + 8, 8))[0]
        self.tree = self._group(root_header, depth=0, seen=set(), path="")

    def _bytes(self, offset, size):
        if offset == UNDEFINED or offset < 0 or size < 0 or offset + size > len(self.data):
            raise HDF5Error(
                f"the HDF5 data points outside the file (offset {offset}, "
                f"{size} bytes); the file is damaged"
            )
        return self.data[offset : offset + size]

    def _messages(self, address):
        """[(type, data, flags)] of the version-1 object header at `address`."""
        head = self._bytes(address, 16)
        version, _, count, _, size = struct.unpack("<BBHII", head[:12])
        if version != 1:
            raise HDF5Error(
                f"object header version {head[0]} at {address}: dlcourse reads "
                f"version 1 (h5py's default)"
            )
        blocks, messages, seen_blocks = [(address + 16, size)], [], set()
        while blocks:
            start, size = blocks.pop(0)
            if (start, size) in seen_blocks or len(seen_blocks) > 1000:
                raise HDF5Error("an HDF5 object header loops on itself")
            seen_blocks.add((start, size))
            block = self._bytes(start, size)
            position = 0
            while position + 8 <= len(block):
                kind, length, flags = struct.unpack("<HHB", block[position : position + 5])
                body = block[position + 8 : position + 8 + length]
                if len(body) != length:
                    raise HDF5Error("an HDF5 object header message runs past its block")
                if kind == 0x10:  # continuation: more messages elsewhere
                    blocks.append(struct.unpack("<QQ", body[:16]))
                elif kind:
                    if flags & 0x02:
                        raise HDF5Error(
                            "shared HDF5 messages (committed datatypes) are not supported"
                        )
                    messages.append((kind, body))
                position += 8 + length
                if len(messages) > max(count, 1) * 4 + 64:
                    raise HDF5Error("an HDF5 object header holds too many messages")
        return messages

    def _count_object(self):
        self.objects += 1
        if self.objects > _MAX_OBJECTS:
            raise HDF5Error(f"the HDF5 file holds more than {_MAX_OBJECTS} objects")

    def _group(self, address, depth, seen, path):
        if depth > _MAX_DEPTH:
            raise HDF5Error(f"HDF5 groups nest deeper than {_MAX_DEPTH} levels")
        if address in seen:
            raise HDF5Error("an HDF5 group contains itself")
        seen = seen | {address}
        self._count_object()
        all_messages = self._messages(address)
        messages = dict(all_messages)
        if 0x15 in messages:
            raise HDF5Error("HDF5 attributes in dense storage are not supported")
        attributes = {}
        for kind, body in all_messages:
            if kind == 0x0C:
                name, value = self._attribute(body)
                attributes[name] = value
        if attributes:
            self.attributes[path] = attributes
        if 0x11 not in messages:
            kinds = sorted(messages)
            raise HDF5Error(
                f"an HDF5 group without a symbol table (message types {kinds}): "
                f"only h5py's default group format is supported"
            )
        btree, heap = struct.unpack("<QQ", messages[0x11][:16])
        names = self._heap(heap)
        group = {}
        for name_offset, child in self._btree_entries(btree, 0, set()):
            name = self._name(names, name_offset)
            if name in group:
                raise HDF5Error(f"an HDF5 group names {name!r} twice")
            group[name] = self._object(child, depth + 1, seen, f"{path}/{name}" if path else name)
        return group

    def _heap(self, address):
        head = self._bytes(address, 32)
        if head[:4] != b"HEAP" or head[4] != 0:
            raise HDF5Error("an HDF5 group's name heap is damaged")
        size, _, data_address = struct.unpack("<QQQ", head[8:32])
        return self._bytes(data_address, size)

    @staticmethod
    def _name(heap, offset):
        end = heap.find(b"\0", offset)
        if offset >= len(heap) or end < 0:
            raise HDF5Error("an HDF5 object name points outside its heap")
        try:
            return heap[offset:end].decode("utf-8")
        except UnicodeDecodeError:
            raise HDF5Error("an HDF5 object name is not UTF-8") from None

    def _btree_entries(self, address, depth, seen):
        if depth > _MAX_DEPTH or address in seen:
            raise HDF5Error("an HDF5 group B-tree loops or is too deep")
        seen.add(address)
        head = self._bytes(address, 24)
        if head[:4] != b"TREE" or head[4] != 0:
            raise HDF5Error("an HDF5 group B-tree node is damaged")
        level, used = head[5], struct.unpack("<H", head[6:8])[0]
        if used > 2 * self.internal_k:
            raise HDF5Error("an HDF5 group B-tree node claims too many children")
        body = self._bytes(address + 24, 8 + 16 * used)
        children = [struct.unpack("<Q", body[16 * i + 8 : 16 * i + 16])[0] for i in range(used)]
        for child in children:
            if level > 0:
                yield from self._btree_entries(child, depth + 1, seen)
                continue
            node = self._bytes(child, 8)
            if node[:4] != b"SNOD" or node[4] != 1:
                raise HDF5Error("an HDF5 symbol-table node is damaged")
            count = struct.unpack("<H", node[6:8])[0]
            if count > 2 * self.leaf_k:
                raise HDF5Error("an HDF5 symbol-table node claims too many entries")
            entries = self._bytes(child + 8, 40 * count)
            for i in range(count):
                name_offset, header = struct.unpack("<QQ", entries[40 * i : 40 * i + 16])
                yield name_offset, header

    def _object(self, address, depth, seen, path):
        messages = self._messages(address)
        kinds = {kind for kind, _ in messages}
        if 0x11 in kinds:
            return self._group(address, depth, seen, path)
        self._count_object()
        if 0x06 in kinds or 0x02 in kinds or 0x0A in kinds:
            raise HDF5Error("HDF5 groups in the newer link format are not supported")
        by_kind = dict(messages)
        if 0x0B in kinds:
            raise HDF5Error("compressed (filtered) HDF5 datasets are not supported")
        if 0x07 in kinds:
            raise HDF5Error("HDF5 datasets stored in external files are not supported")
        if not {0x01, 0x03, 0x08} <= kinds:
            raise HDF5Error(
                f"an HDF5 object that is neither a group nor a dataset (message "
                f"types {sorted(kinds)})"
            )
        shape = _dataspace(by_kind[0x01])
        dtype = _dtype(by_kind[0x03])
        count = 1
        for d in shape:
            count *= d
        nbytes = count * dtype.itemsize
        if nbytes > self.budget:
            raise HDF5Error("the HDF5 datasets exceed the size limit")
        self.budget -= nbytes
        raw = _layout_data(self, by_kind[0x08], nbytes)
        return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))

    def _attribute(self, body):
        """(name, value) of an attribute message (versions 1 to 3)."""
        if len(body) < 8 or body[0] not in (1, 2, 3):
            raise HDF5Error("an HDF5 attribute message is damaged or of an unknown version")
        version = body[0]
        name_size, type_size, space_size = struct.unpack("<HHH", body[2:8])
        position = 8 if version < 3 else 9  # version 3 adds the name's encoding

        def field(size):
            nonlocal position
            start = position
            position += size if version > 1 else size + (-size % 8)
            if position > len(body):
                raise HDF5Error("an HDF5 attribute message runs past its end")
            return body[start : start + size]

        name = field(name_size).split(b"\0")[0].decode("utf-8", errors="replace")
        datatype, space = field(type_size), field(space_size)
        shape = _dataspace(space)
        count = 1
        for d in shape:
            count *= d
        raw = body[position:]
        kind = datatype[0] & 0x0F if datatype else None
        if kind == 3:  # fixed-length string
            size = struct.unpack("<I", datatype[4:8])[0] if len(datatype) >= 8 else 0
            if size == 0 or size * count > len(raw):
                raise HDF5Error(f"the HDF5 attribute {name!r} is shorter than its shape says")
            items = [raw[i * size : (i + 1) * size] for i in range(count)]
            texts = [item.split(b"\0")[0].rstrip(b" ").decode("utf-8", "replace") for item in items]
        elif kind == 9 and len(datatype) >= 8 and datatype[1] & 0x0F == 1:  # variable-length string
            if 16 * count > len(raw):
                raise HDF5Error(f"the HDF5 attribute {name!r} is shorter than its shape says")
            texts = [self._heap_string(raw[16 * i : 16 * i + 16]) for i in range(count)]
        else:
            dtype = _dtype(datatype)
            if dtype.itemsize * count > len(raw):
                raise HDF5Error(f"the HDF5 attribute {name!r} is shorter than its shape says")
            array = np.frombuffer(raw[: dtype.itemsize * count], dtype=dtype)
            return name, array.reshape(shape).astype(dtype.newbyteorder("="))
        return name, texts[0] if shape == () else texts

    def _heap_string(self, reference):
        """A variable-length string: (length, global heap collection address, object index)."""
        length, address, index = struct.unpack("<IQI", reference)
        if length == 0:
            return ""
        objects = self.heaps.get(address)
        if objects is None:
            objects = self.heaps[address] = self._global_heap(address)
        if index not in objects or len(objects[index]) < length:
            raise HDF5Error("an HDF5 string points outside its global heap")
        return objects[index][:length].decode("utf-8", errors="replace")

    def _global_heap(self, address):
        """{index: bytes} of the global heap collection at `address`."""
        if len(self.heaps) > 1000:
            raise HDF5Error("the HDF5 file has too many global heap collections")
        head = self._bytes(address, 16)
        if head[:4] != b"GCOL" or head[4] != 1:
            raise HDF5Error("an HDF5 global heap collection is damaged")
        size = struct.unpack("<Q", head[8:16])[0]
        self.heap_bytes += size  # collections do not overlap: together they fit in the file
        if self.heap_bytes > len(self.data):
            raise HDF5Error("the HDF5 global heap collections overlap or exceed the file")
        block = self._bytes(address, size)
        objects, position = {}, 16
        while position + 16 <= len(block):
            index, _, _, object_size = struct.unpack("<HHIQ", block[position : position + 16])
            if index == 0:  # the free space: the rest of the collection
                break
            start = position + 16
            if start + object_size > len(block):
                raise HDF5Error("an HDF5 global heap object runs past its collection")
            objects[index] = block[start : start + object_size]
            position = start + object_size + (-object_size % 8)
        return objects


def _dataspace(body):
    if len(body) < 8 or body[0] not in (1, 2):
        raise HDF5Error("an HDF5 dataspace message is damaged or of an unknown version")
    version, rank = body[0], body[1]
    if version == 2 and body[3] == 2:
        raise HDF5Error("HDF5 datasets with a null dataspace are not supported")
    if rank > _MAX_RANK:
        raise HDF5Error(f"an HDF5 dataset of rank {rank} (at most {_MAX_RANK})")
    start = 8 if version == 1 else 4
    if len(body) < start + 8 * rank:
        raise HDF5Error("an HDF5 dataspace message is damaged")
    shape = struct.unpack(f"<{rank}Q", body[start : start + 8 * rank])
    if any(d >= 1 << 40 for d in shape):
        raise HDF5Error("an HDF5 dataset dimension is implausibly large")
    return tuple(int(d) for d in shape)


def _dtype(body):
    if len(body) < 8:
        raise HDF5Error("an HDF5 datatype message is damaged")
    kind, bits0, size = body[0] & 0x0F, body[1], struct.unpack("<I", body[4:8])[0]
    order = ">" if bits0 & 0x01 else "<"
    if kind == 1 and size in (2, 4, 8):
        return np.dtype(f"{order}f{size}")
    if kind == 0 and size in (1, 2, 4, 8):
        return np.dtype(f"{order}{'i' if bits0 & 0x08 else 'u'}{size}")
    names = {
        0: "integer",
        1: "float",
        2: "time",
        3: "string",
        4: "bitfield",
        5: "opaque",
        6: "compound",
        7: "reference",
        8: "enum",
        9: "variable-length",
        10: "array",
    }
    raise HDF5Error(
        f"an HDF5 dataset of {size}-byte {names.get(kind, 'unknown')} type: only numbers are read"
    )


def _layout_error(what):
    return HDF5Error(f"HDF5 datasets with {what} storage are not supported")


def _layout_data(reader, body, nbytes):
    """The raw bytes of a dataset from its layout message (contiguous or compact)."""
    if len(body) < 2 or body[0] not in (3, 4):
        raise HDF5Error("an HDF5 layout message is damaged or of an unknown version")
    layout = body[1]
    if layout == 0:  # compact: the data sits in the message
        size = struct.unpack("<H", body[2:4])[0]
        if size != nbytes or len(body) < 4 + size:
            raise HDF5Error("an HDF5 dataset's size does not match its shape")
        return body[4 : 4 + size]
    if layout == 1:
        address, size = struct.unpack("<QQ", body[2:18])
        if size != nbytes:
            raise HDF5Error("an HDF5 dataset's size does not match its shape")
        if size == 0:
            return b""
        return reader._bytes(address, size)
    raise _layout_error("chunked" if layout == 2 else "virtual" if layout == 3 else "unknown")
