package com.cleversync.sync;

import com.cleversync.config.CleverSyncProperties;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * The operator's one-off acceptance of a mass archive that the guard stopped: the next full sync
 * of that school archives what Clever no longer lists, whatever the share, and the acceptance is
 * used up. Given at startup with {@code cleversync.sync.accept-mass-archive} or at run time through
 * the {@code massarchive} management endpoint (an MBean, for JConsole or Hawtio) or the management API
 * ({@code POST /actuator/cleversync/{district}/mass-archive} as an OPERATOR). Each acceptance is logged
 * with its user.
 */
@Component
@Endpoint(id = "massarchive")
public class MassArchiveAcceptance {
    private static final Logger LOG = LoggerFactory.getLogger(MassArchiveAcceptance.class);

    private final Set<String> accepted = new TreeSet<>();
    private final SyncDistricts districts;

    MassArchiveAcceptance(CleverSyncProperties properties, SyncDistricts districts) {
        this.districts = districts;
        for (String school : properties.sync().acceptMassArchive()) {
            accepted.add(SyncConfiguration.schoolPath(districts, school, "cleversync.sync.accept-mass-archive"));
        }
    }

    /** The schools whose next full sync may archive any share, as {@code district/school}. */
    @ReadOperation
    public synchronized List<String> pending() {
        return List.copyOf(accepted);
    }

    /** Accepts the next full sync's archiving for one school, once. */
    @WriteOperation
    public synchronized String accept(String district, String school) {
        String key = district + "/" + school;
        if (districts.schools().stream().noneMatch(s -> s.district().equals(district) && s.key().equals(school))) {
            throw new IllegalArgumentException("no configured school " + key);
        }
        LOG.warn("operator action: user={} action=accept-mass-archive target={}: its next full sync archives"
                + " whatever share Clever no longer lists", Operator.current(), key);
        accepted.add(key);
        return "the next full sync of " + key + " archives what Clever no longer lists, whatever the share";
    }

    /** Uses up the acceptance of a school's mass archive; true when there was one. */
    synchronized boolean consume(SyncSchool school) {
        return accepted.remove(school.district() + "/" + school.key());
    }
}
