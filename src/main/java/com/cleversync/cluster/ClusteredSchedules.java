package com.cleversync.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * A district's schedule means the same on one replica and on several. With a clustered job store,
 * Camel leaves the shared trigger alone when a route stops (so that a replica shutting down does not
 * pause the others), and a fire that lands on a replica whose route is stopped is lost. So: an
 * operator who stops or suspends a district's schedule route on any replica pauses its trigger on
 * every replica, and starting or resuming it there resumes it; a replica that shuts down leaves the
 * trigger as it is and first puts its scheduler in standby, so that the next fires go to the others.
 */
final class ClusteredSchedules implements RoutePolicyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSchedules.class);

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        // the district schedules are the routes from quartz: (this bean depends on nothing, so that
        // Camel finds it while its context is configured, before the routes are built)
        boolean schedule = route instanceof RouteDefinition definition && definition.getInput() != null
                && definition.getInput().getEndpointUri().startsWith("quartz:");
        return schedule ? new OperatorPause() : null;
    }

    @EventListener(ContextClosedEvent.class)
    void standBy(ContextClosedEvent event) throws SchedulerException {
        CamelContext camel = event.getApplicationContext().getBean(CamelContext.class);
        Scheduler scheduler = camel.hasComponent("quartz") instanceof QuartzComponent quartz ? quartz.getScheduler() : null;
        if (scheduler != null && scheduler.isStarted()) {
            scheduler.standby(); // acquires no more fires; the runs going on end as the service stops
        }
    }

    private static final class OperatorPause extends RoutePolicySupport {
        @Override
        public void onStop(Route route) {
            pause(route, true);
        }

        @Override
        public void onSuspend(Route route) {
            pause(route, true);
        }

        @Override
        public void onStart(Route route) {
            pause(route, false);
        }

        @Override
        public void onResume(Route route) {
            pause(route, false);
        }

        private static void pause(Route route, boolean pause) {
            if (!route.getCamelContext().isStarted()) {
                return; // the service is starting or stopping: not an operator's doing
            }
            QuartzEndpoint endpoint = (QuartzEndpoint) route.getEndpoint();
            try {
                Scheduler scheduler = endpoint.getComponent().getScheduler();
                if (pause) {
                    scheduler.pauseTrigger(endpoint.getTriggerKey());
                } else {
                    scheduler.resumeTrigger(endpoint.getTriggerKey());
                }
                LOG.warn("schedule {} {} on every replica", route.getRouteId(), pause ? "paused" : "resumed");
            } catch (SchedulerException e) {
                throw new IllegalStateException("the schedule of " + route.getRouteId() + " could not be "
                        + (pause ? "paused" : "resumed") + " in the control database: " + e.getMessage(), e);
            }
        }
    }
}
