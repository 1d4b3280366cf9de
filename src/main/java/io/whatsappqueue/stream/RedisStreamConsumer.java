package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one stream per instance as a consumer-group member. Each instance has its own reader
 * ({@link InstanceWorker}); entries are processed on a bounded pool, acknowledged only after the route
 * succeeded (or dead-lettered them), retried with back-off while staying pending in Redis, and kept in
 * per-chat order across every worker.
 */
public class RedisStreamConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);

    private final RedisStreamEndpoint endpoint;
    private final StreamStore store;
    private final List<InstanceWorker> workers = new ArrayList<>();
    private ExecutorService readers;
    private ExecutorService processors;
    private ScheduledExecutorService timers;

    public RedisStreamConsumer(RedisStreamEndpoint endpoint, Processor processor, StreamStore store) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.store = store;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        List<String> instances = endpoint.instanceList();
        var ctx = getEndpoint().getCamelContext();
        String name = "redis-stream-" + endpoint.getKind();
        readers = ctx.getExecutorServiceManager().newFixedThreadPool(this, name + "-reader", instances.size());
        processors = ctx.getExecutorServiceManager().newFixedThreadPool(this, name,
                Math.max(1, endpoint.getConcurrency() * instances.size()));
        timers = ctx.getExecutorServiceManager().newScheduledThreadPool(this, name + "-timer", 2);
        String consumerName = ConsumerNames.ofThisProcess();
        for (String instance : instances) {
            InstanceWorker w = new InstanceWorker(this, store, instance, consumerName, processors, timers);
            workers.add(w);
            w.start(readers);
        }
        LOG.info("Consuming {} of {} as {} in group {}", endpoint.getKind(), instances, consumerName, endpoint.getGroup());
    }

    @Override
    protected void doStop() throws Exception {
        if (readers == null) {
            // never started (the route is not for this process's role)
            super.doStop();
            return;
        }
        workers.forEach(InstanceWorker::stopReading);
        var esm = getEndpoint().getCamelContext().getExecutorServiceManager();
        // stop reading first, then let in-flight entries finish; whatever is unfinished stays pending in Redis
        esm.shutdownGraceful(readers, endpoint.getBlockMs() + 2000);
        timers.shutdownNow();
        processors.shutdown();
        if (!processors.awaitTermination(20, TimeUnit.SECONDS)) {
            LOG.warn("In-flight {} entries did not finish within 20 s; they stay pending and will be reclaimed",
                    endpoint.getKind());
            processors.shutdownNow();
        }
        workers.forEach(InstanceWorker::leaveGroupIfIdle);
        workers.clear();
        readers = null;
        super.doStop();
    }

    /** Readers that should run but have stopped (for the readiness check). */
    public int deadReaders() {
        return (int) workers.stream().filter(w -> !w.readerAlive()).count();
    }

    RedisStreamEndpoint endpoint() {
        return endpoint;
    }

    Exchange newExchange() {
        return createExchange(false);
    }

    void release(Exchange exchange) {
        releaseExchange(exchange, false);
    }
}
