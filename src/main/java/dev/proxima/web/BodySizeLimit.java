package dev.proxima.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies above {@code proxima.http.max-body-size} are a 413 problem: refused from the
 * Content-Length before anything is read, and a body without one (chunked) is cut off where it
 * passes the limit, so no request can make the service buffer more than that.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimit extends OncePerRequestFilter {

    private final long maxBytes;
    private final String detail;
    private final ObjectMapper json;

    BodySizeLimit(@Value("${proxima.http.max-body-size:8MB}") DataSize maxBodySize, ObjectMapper json) {
        this.maxBytes = maxBodySize.toBytes();
        this.json = json;
        this.detail = "the request body is larger than " + maxBodySize.toKilobytes() + " KB (proxima.http.max-body-size)";
    }

    /** Thrown by the counted body once it passes the limit; {@link ProblemDetailsAdvice} answers 413. */
    static final class TooLarge extends IOException {
        TooLarge(String detail) {
            super(detail, null);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            response.setHeader("Connection", "close");
            ProblemWriter.write(response, json, HttpStatus.PAYLOAD_TOO_LARGE, detail);
            return;
        }
        chain.doFilter(new Counted(request), response);
    }

    /** The request with a body stream that fails once more than the limit has been read. */
    private final class Counted extends HttpServletRequestWrapper {

        private ServletInputStream counted;

        Counted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (counted == null) {
                counted = new CountingStream(super.getInputStream());
            }
            return counted;
        }
    }

    private final class CountingStream extends ServletInputStream {

        private final ServletInputStream body;
        private long read;

        CountingStream(ServletInputStream body) {
            this.body = body;
        }

        private int counted(int bytes) throws TooLarge {
            if (bytes > 0) {
                read += bytes;
                if (read > maxBytes) {
                    throw new TooLarge(detail);
                }
            }
            return bytes;
        }

        @Override
        public int read() throws IOException {
            int value = body.read();
            if (value >= 0) {
                counted(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return counted(body.read(buffer, offset, length));
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }
    }
}
