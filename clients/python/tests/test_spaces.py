import json
import time

import gymnasium as gym
import numpy as np
import pytest
from gymnasium import spaces

from proxima_client.copies import EnvCopies
from proxima_client.spaces import action_mapping, flatten_mask, observation_mapping


def test_box_observation_flattens_and_writes_null_for_infinite_bounds():
    space = spaces.Box(low=np.array([[-1.0, -np.inf, 0.0]], np.float32), high=np.array([[1.0, 2.0, np.inf]], np.float32))
    m = observation_mapping(space)
    assert m.spec == {"type": "box", "shape": [3], "low": [-1.0, None, 0.0], "high": [1.0, 2.0, None]}
    json.dumps(m.spec, allow_nan=False)  # no Infinity in the JSON
    enc = m.encode(np.array([[0.5, -3.0, 7.0]], dtype=np.float32))
    assert enc == [0.5, -3.0, 7.0] and all(type(x) is float for x in enc)
    batch = m.encode_batch(np.zeros((2, 1, 3), dtype=np.float32), 2)
    assert batch.shape == (2, 3)
    with pytest.raises(ValueError):
        m.encode([1.0, 2.0])


def test_multidimensional_box_observation():
    m = observation_mapping(spaces.Box(0, 255, (2, 3), np.uint8))
    assert m.spec["shape"] == [6] and m.spec["low"] == [0.0] * 6 and m.spec["high"] == [255.0] * 6
    assert m.encode(np.arange(6, dtype=np.uint8).reshape(2, 3)) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_discrete_observation_is_one_hot_from_start():
    m = observation_mapping(spaces.Discrete(3, start=-1))
    assert m.spec == {"type": "box", "shape": [3], "low": [0.0] * 3, "high": [1.0] * 3}
    assert m.encode(-1) == [1.0, 0.0, 0.0]
    assert m.encode(np.int64(1)) == [0.0, 0.0, 1.0]
    assert m.encode_batch(np.array([0, -1]), 2).tolist() == [[0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError):
        m.encode(2)


def test_multidiscrete_observation_is_concatenated_one_hots():
    space = spaces.MultiDiscrete([2, 3], start=[1, 0])
    m = observation_mapping(space)
    assert m.spec["shape"] == [5]
    assert m.encode(np.array([2, 1])) == [0.0, 1.0, 0.0, 1.0, 0.0]
    assert m.encode(np.array([1, 2])) == [1.0, 0.0, 0.0, 0.0, 1.0]
    # the same as gymnasium's own flattening (and SB3's preprocessing)
    assert m.encode(np.array([2, 2])) == spaces.flatten(space, np.array([2, 2])).astype(float).tolist()
    assert m.encode_batch(np.array([[2, 1], [1, 0]]), 2).tolist() == [[0, 1, 0, 1, 0], [1, 0, 1, 0, 0]]
    with pytest.raises(ValueError):
        m.encode(np.array([0, 0]))  # below start


def test_multibinary_observation_is_a_unit_box():
    m = observation_mapping(spaces.MultiBinary([2, 2]))
    assert m.spec == {"type": "box", "shape": [4], "low": [0.0] * 4, "high": [1.0] * 4}
    assert m.encode(np.array([[1, 0], [0, 1]], dtype=np.int8)) == [1.0, 0.0, 0.0, 1.0]


def test_dict_and_tuple_observations_are_flattened_by_gymnasium():
    space = spaces.Dict({"pos": spaces.Box(-1, 1, (2,)), "cell": spaces.Discrete(3, start=1),
                         "v": spaces.Box(-np.inf, np.inf, (1,))})
    m = observation_mapping(space)
    flat = spaces.flatten_space(space)
    assert m.spec["shape"] == [6]
    assert m.spec["low"] == [None if np.isinf(x) else float(x) for x in flat.low]
    obs = {"pos": np.array([0.5, -0.5], dtype=np.float32), "cell": 2, "v": np.array([9.0], dtype=np.float32)}
    assert m.encode(obs) == spaces.flatten(space, obs).astype(float).tolist()
    assert sorted(m.encode(obs)) == sorted([0.5, -0.5, 0.0, 1.0, 0.0, 9.0])
    # a batch from a vector env (dict of batched arrays)
    batched = {"pos": np.zeros((2, 2), np.float32), "cell": np.array([1, 3]), "v": np.ones((2, 1), np.float32)}
    rows = m.encode_batch(batched, 2)
    assert rows.shape == (2, 6) and rows.sum() == 4.0
    t = observation_mapping(spaces.Tuple((spaces.Discrete(2), spaces.Box(0, 1, (2,)))))
    assert t.spec["shape"] == [4] and t.encode((1, np.array([0.25, 0.75]))) == [0.0, 1.0, 0.25, 0.75]


def test_unmappable_observation_space_is_a_clear_error():
    with pytest.raises(TypeError, match="cannot map"):
        observation_mapping(spaces.Sequence(spaces.Discrete(2)))


def test_discrete_action_adds_start_back():
    m = action_mapping(spaces.Discrete(4, start=2))
    assert m.spec == {"type": "discrete", "n": 4} and m.mask_size == 4
    a = m.decode(0)
    assert a == 2 and isinstance(a, np.int64) and spaces.Discrete(4, start=2).contains(a)
    assert m.decode(3) == 5
    assert m.decode_batch([0, 3]).tolist() == [2, 5]


def test_multidiscrete_action_with_start_and_2d_nvec():
    space = spaces.MultiDiscrete([3, 2], start=[1, -1])
    m = action_mapping(space)
    assert m.spec == {"type": "multiDiscrete", "nvec": [3, 2]} and m.mask_size == 5
    a = m.decode([2, 1])
    assert a.tolist() == [3, 0] and a.dtype == space.dtype and space.contains(a)
    assert m.decode_batch([[0, 0], [2, 1]]).tolist() == [[1, -1], [3, 0]]
    grid = spaces.MultiDiscrete([[2, 3], [4, 5]])
    g = action_mapping(grid)
    assert g.spec["nvec"] == [2, 3, 4, 5]
    assert grid.contains(g.decode([1, 2, 3, 4])) and g.decode([1, 2, 3, 4]).shape == (2, 2)


def test_multibinary_action_is_multidiscrete_of_twos():
    space = spaces.MultiBinary(4)
    m = action_mapping(space)
    assert m.spec == {"type": "multiDiscrete", "nvec": [2, 2, 2, 2]} and m.mask_size == 8
    a = m.decode([1, 0, 1, 1])
    assert a.dtype == np.int8 and space.contains(a)
    assert m.decode_batch([[1, 0, 1, 1], [0, 0, 0, 0]]).shape == (2, 4)


def test_box_action_needs_finite_bounds():
    with pytest.raises(ValueError, match="finite bounds"):
        action_mapping(spaces.Box(-np.inf, np.inf, (2,)))


def test_box_action_dtype_shape_and_clip():
    space = spaces.Box(low=np.array([-1.0, 0.0], np.float32), high=np.array([1.0, 2.0], np.float32))
    m = action_mapping(space)
    assert m.spec == {"type": "box", "shape": [2], "low": [-1.0, 0.0], "high": [1.0, 2.0]} and m.mask_size is None
    a = m.decode([0.5, 2.0000001])
    assert a.dtype == np.float32 and a.shape == (2,) and space.contains(a)
    assert m.decode_batch([[0.0, 1.0], [-1.0, 0.0]]).shape == (2, 2)
    square = action_mapping(spaces.Box(-2, 2, (2, 2), np.float32))
    assert square.spec["shape"] == [4] and square.decode([0, 1, 2, 3]).shape == (2, 2)


def test_masks_flatten_per_dimension_tuples():
    assert flatten_mask((np.array([1, 0], np.int8), np.array([0, 1, 1], np.int8))).tolist() == [
        True, False, False, True, True]
    assert flatten_mask([1, 0, 1]).tolist() == [True, False, True]


def test_client_overhead_of_a_cartpole_step_for_8_copies_is_well_under_a_millisecond():
    """Encoding, stepping 8 CartPoles and building the JSON body: the runner's hot path minus HTTP."""
    copies = EnvCopies([lambda: gym.make("CartPole-v1")] * 8)
    batch = copies.reset(list(range(8)))
    actions = [0, 1] * 4
    n = 2000
    start = time.perf_counter()
    for seq in range(1, n + 1):
        batch = copies.step(actions)
        json.dumps(batch.body(seq), separators=(",", ":"), allow_nan=False)
        json.loads('{"sequence": 1, "actions": [0, 1, 0, 1, 1, 0, 1, 0], "policyVersion": 3}')
    per_step = (time.perf_counter() - start) / n
    env_only = time.perf_counter()
    for _ in range(n // 8):
        for env in copies.envs:
            _, _, term, trunc, _ = env.step(0)
            if term or trunc:
                env.reset()
    env_time = (time.perf_counter() - env_only) / (n // 8)
    copies.close()
    print(f"step incl. 8 env steps: {per_step * 1e6:.0f} us; 8 bare env steps: {env_time * 1e6:.0f} us")
    assert per_step < 1e-3


def test_hybrid_tuple_action_maps_to_a_hybrid_space():
    space = spaces.Tuple((spaces.Discrete(3), spaces.Box(np.array([0.0, -1.0], np.float32),
                                                           np.array([1.0, 1.0], np.float32))))
    m = action_mapping(space, parameter_mask=[[True, False], [False, True], [False, False]])
    assert m.spec == {"type": "hybrid", "n": 3, "parameters": {"low": [0.0, -1.0], "high": [1.0, 1.0]},
                      "parameterMask": [[True, False], [False, True], [False, False]]}
    assert m.mask_size == 3
    kind, params = m.decode({"type": 1, "parameters": [0.25, -0.5]})
    assert kind == 1 and params.tolist() == [0.25, -0.5]
    kinds, batch = m.decode_batch([{"type": 0, "parameters": [0.5, 0.0]}, {"type": 2, "parameters": [1.0, 1.0]}])
    assert kinds.tolist() == [0, 2] and batch.shape == (2, 2)
    assert action_mapping(space).spec["parameterMask"] == [[True, True]] * 3
    with pytest.raises(ValueError):
        action_mapping(space, parameter_mask=[[True]])
