package com.cleversync.sync;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;

/**
 * Groups a school's records into a batch (a list body) and registers each completed batch with its
 * run before the batch is handed to a writer thread, so the run can wait for it to be written.
 */
class SchoolBatchAggregation extends GroupedBodyAggregationStrategy {
    @Override
    public void onCompletion(Exchange exchange) {
        super.onCompletion(exchange);
        List<?> batch = exchange.getMessage().getBody(List.class);
        if (!batch.isEmpty()) {
            RoutedRecord.schoolOf(batch).batchSubmitted();
        }
    }
}
