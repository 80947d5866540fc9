import legacy.client as lc


class Store:
    def get(self, key):
        return key

    async def fetch_later(self, key):
        return key


async def handler(store: Store):
    lc.fetch_all()
    return store.get("k")
