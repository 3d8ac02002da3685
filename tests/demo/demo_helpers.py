from sqlalchemy import create_engine

from matchmaker.records import Base


def fresh_sqlite(path):
    """An engine on a new SQLite file with every table created."""
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return engine
