package com.cleversync.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers a school's records (and the checkpoint that ends a page) into a {@link SchoolBatch}, and
 * registers each completed batch with its run before it goes to a writer lane, so the run can wait
 * for it to be written. Registration must happen here, at completion: the aggregator may hand the
 * batch on later (Camel's reactive engine), after the run has already begun to wait.
 */
class SchoolBatchAggregation implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange batch, Exchange item) {
        ForSchool next = item.getMessage().getBody(ForSchool.class);
        if (batch == null) {
            item.getMessage().setBody(new SchoolBatch(next.school()));
            batch = item;
        }
        batch.getMessage().getBody(SchoolBatch.class).add(next);
        return batch;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        SchoolBatch batch = exchange.getMessage().getBody(SchoolBatch.class);
        if (!batch.isEmpty()) {
            batch.school().batchSubmitted();
        }
    }
}
