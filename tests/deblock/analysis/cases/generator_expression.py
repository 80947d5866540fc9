import time


async def sizes(paths):
    return sum(len(open(p).read()) for p in paths)


async def waits(delays):
    return [time.sleep(d) for d in delays]
