package io.cascade.server.logging;

import io.cascade.conf.Log;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Routes what libraries (Netty, Chronicle) log through SLF4J into the server log, in Redis's format:
 * their errors and warnings as warnings, info as verbose, the rest as debug. Any thread.
 */
public final class Slf4jBridge implements SLF4JServiceProvider {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return name -> loggers.computeIfAbsent(name, BridgeLogger::new);
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: the server log is configured by Main
    }

    /** One named library logger; the name is kept short in the line, as "[netty] message". */
    private static final class BridgeLogger extends AbstractLogger {
        private final String tag;

        BridgeLogger(String name) {
            this.name = name;
            int dot = name.lastIndexOf('.');
            this.tag = dot < 0 ? name : name.substring(dot + 1);
        }

        private static Log.Level map(Level level) {
            return switch (level) {
                case ERROR, WARN -> Log.Level.WARNING;
                case INFO -> Log.Level.VERBOSE;
                default -> Log.Level.DEBUG;
            };
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable t) {
            String msg = MessageFormatter.basicArrayFormat(pattern, args);
            if (t != null) {
                msg += " (" + t + ")";
            }
            Log.line(map(level), "[" + tag + "] " + msg);
        }

        private boolean on(Level level) {
            return Log.enabled(map(level));
        }

        @Override
        public boolean isTraceEnabled() {
            return on(Level.TRACE);
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return on(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return on(Level.DEBUG);
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return on(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return on(Level.INFO);
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return on(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return on(Level.WARN);
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return on(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return on(Level.ERROR);
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return on(Level.ERROR);
        }
    }
}
