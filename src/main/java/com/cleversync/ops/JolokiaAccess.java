package com.cleversync.ops;

import com.cleversync.sync.Operator;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What a logged-in user may do through Jolokia ({@code /actuator/jolokia}, which Hawtio talks to).
 * A VIEWER reads every attribute and may call the operations that only read (Hawtio draws route
 * diagrams and statistics with {@code dump…} operations and asks {@code canInvoke} before showing a
 * button); every other operation (suspend or resume a route, accept a mass archive) and every
 * attribute write needs an OPERATOR, and is logged with the user as every operator action is.
 * Hawtio sends reads and operations alike as POSTs, so the HTTP method cannot tell them apart:
 * Jolokia asks this restrictor per MBean and operation, on the request's thread, where Spring
 * Security knows the user. Operations that show messages (browsing an endpoint, traced or
 * failed messages) may carry personal data and are not read-only here.
 */
@Component
class JolokiaAccess extends AllowAllRestrictor {
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);
    private static final String OPERATOR = "ROLE_OPERATOR";
    private static final Pattern READ_ONLY = Pattern.compile("(dump|get|is|has|can|list|explain|find|stats|count)"
            + "(?![a-z]).*");
    private static final Pattern SHOWS_MESSAGES = Pattern.compile(".*(Message|Exchange|browse|Browse|Body).*");

    @Override
    public boolean isOperationAllowed(ObjectName mbean, String operation) {
        if (READ_ONLY.matcher(operation).matches() && !SHOWS_MESSAGES.matcher(operation).matches()) {
            return true;
        }
        return operatorAction(operation, mbean);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName mbean, String attribute) {
        return operatorAction("write-" + attribute, mbean);
    }

    private static boolean operatorAction(String action, ObjectName mbean) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        boolean allowed = user != null && user.getAuthorities().stream().anyMatch(a -> OPERATOR.equals(a.getAuthority()));
        LOG.warn("operator action: user={} action={} target={}{}", Operator.current(), action, mbean,
                allowed ? "" : " refused: OPERATOR role required");
        return allowed;
    }
}
