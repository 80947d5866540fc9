import time

import trio


async def main():
    time.sleep(1)
    await trio.sleep(1)
