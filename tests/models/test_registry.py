"""The model registry refuses corrupt artifacts and serves only promoted versions."""
import pytest

from models.registry import ArtifactError, ModelRegistry


def test_round_trip_and_promotion(tmp_path):
    reg = ModelRegistry(tmp_path)
    v1 = reg.save("ranker", {"model.txt": b"tree 1"}, {"ndcg@10": 0.5})
    assert reg.promoted("ranker") is None
    with pytest.raises(ArtifactError, match="no promoted"):
        reg.load("ranker")
    reg.promote("ranker", v1)
    art = reg.load("ranker")
    assert art.version == v1 and art.files == {"model.txt": b"tree 1"}
    assert art.metadata == {"ndcg@10": 0.5}
    v2 = reg.save("ranker", {"model.txt": b"tree 2"}, {})
    assert reg.versions("ranker") == sorted([v1, v2])
    assert reg.load("ranker").version == v1  # saving does not promote


def test_tampered_file_is_refused(tmp_path):
    reg = ModelRegistry(tmp_path)
    v = reg.save("screener", {"coef.json": b"[1, 2]"}, {})
    (tmp_path / "screener" / v / "coef.json").write_bytes(b"[1, 3]")
    with pytest.raises(ArtifactError, match="checksum"):
        reg.load("screener", v)


def test_path_tricks_are_refused(tmp_path):
    reg = ModelRegistry(tmp_path)
    with pytest.raises(ArtifactError):
        reg.save("ranker", {"../evil": b"x"}, {})
    with pytest.raises(ArtifactError):
        reg.load("ranker", "../../etc")
    with pytest.raises(ArtifactError):
        reg.promote("ranker", "nope")
