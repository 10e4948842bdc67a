package com.cleversync.ops;

import com.cleversync.config.CleverSyncProperties;
import com.cleversync.config.ConfigurationKeys;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.RunFinished;
import com.cleversync.sync.SchoolRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the operator's webhook about every school whose run needs attention ({@link RunNotification}):
 * the run's end queues one message per such school on {@code seda:run-notifications}, and route
 * {@code run-notifications} POSTs each one, retrying with exponential backoff and jitter; after the
 * last attempt the message is dropped with a warning. The sync never waits for it and never fails
 * because of it. Without {@code cleversync.notifications.webhook-url} there is no route and nothing is queued.
 */
@Component
@DependsOn(ConfigurationKeys.BEAN) // a misspelt key must not pass for a default
class RunNotifications extends RouteBuilder {
    static final String ROUTE = "run-notifications";
    private static final String QUEUE = "seda:" + ROUTE;
    private static final String NOTIFICATION = "runNotification";
    private static final Logger LOG = LoggerFactory.getLogger(RunNotifications.class);

    private final Webhook webhook;
    private final CleverSyncProperties.Retry retry;
    private final ProducerTemplate producer;

    RunNotifications(CleverSyncProperties properties, CamelContext camel, ProducerTemplate producer) {
        this.webhook = Webhook.configured(properties.notifications(), camel);
        this.retry = properties.notifications().retry();
        this.producer = producer;
    }

    /** Runs on the run's thread: only queues, and swallows any failure (the run is recorded already). */
    @EventListener
    void runFinished(RunFinished finished) {
        if (webhook == null) {
            return;
        }
        DistrictRun run = finished.run();
        for (SchoolRun school : run.schools()) {
            try {
                if (RunNotification.isDue(school)) {
                    producer.sendBody(QUEUE, RunNotification.of(run, school));
                }
            } catch (RuntimeException e) {
                LOG.warn("run {} school {}/{}: its notification is dropped, it could not be queued ({})", run.id(),
                        run.district().key(), school.school().key(), e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void configure() {
        if (webhook == null) {
            return;
        }
        from(QUEUE).routeId(ROUTE)
            // a shutdown (and the end of run-once) still sends what is queued, within Camel's shutdown timeout
            .shutdownRunningTask(ShutdownRunningTask.CompleteAllTasks)
            .onException(Exception.class)
                .maximumRedeliveries(retry.attempts() - 1)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .useCollisionAvoidance()
                // Camel's own lines would print the exception's message, which may quote the URL
                .logRetryAttempted(false).logExhausted(false)
                .handled(true)
                .process(this::dropped)
            .end()
            .setVariable(NOTIFICATION, body())
            .marshal().json()
            .process(exchange -> webhook.post(exchange.getMessage().getBody(byte[].class)));
    }

    private void dropped(Exchange exchange) {
        RunNotification notification = exchange.getVariable(NOTIFICATION, RunNotification.class);
        LOG.warn("run {} school {}/{} ended {}: its notification is dropped (attempts: {}; last failure: {})",
                notification.runId(), notification.district(), notification.school(), notification.status(),
                retry.attempts(), Webhook.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
    }
}
