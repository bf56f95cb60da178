package io.pekkotrader.streams;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@link WebSocketTransport} on Netty's WebSocket client codec (epoll where the platform has it,
 * NIO elsewhere), on one event-loop thread shared by all connections. The pipeline is TLS (for
 * {@code wss://}), HTTP, the client handshaker (which answers pings), a timeout on messages that
 * arrive in pieces, frame aggregation up to the frame limit, and this transport's handler, which copies each text frame's bytes out of Netty's
 * buffer into an {@link InboundFrame.Utf8} (decoded from the bytes, no {@code String} per frame)
 * and wakes the stream once per socket read, not once per message.
 * Reading follows the stream's demand: the channel stops reading from the socket ({@code
 * autoRead} off) when {@value #HIGH_WATER} messages wait for the stream, and reads again when
 * they are down to {@value #LOW_WATER}.
 */
final class NettyWebSocketTransport implements WebSocketTransport {
  static final int HIGH_WATER = 512;
  static final int LOW_WATER = 128;
  private static final AtomicInteger TRANSPORTS = new AtomicInteger();

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final SslContext tls;
  private final String dispatcherId = "pekko-trader-market-data-netty-" + TRANSPORTS.incrementAndGet();

  /** @param tls the TLS context of {@code wss://} connections */
  NettyWebSocketTransport(SSLContext tls) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(1, runnable -> {
      Thread thread = new Thread(runnable, "market-data-netty");
      thread.setDaemon(true);
      return thread;
    }, io);
    this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.tls = new JdkSslContext(tls, true, ClientAuth.NONE);
  }

  @Override
  public Source<InboundFrame, CompletionStage<Done>> connect(Request request) {
    return Source.fromGraph(new ClientFrameSource(request, Connection::new));
  }

  /**
   * The stream runs on this transport's event loop ({@link EventLoopDispatcher}): a socket read,
   * the decoding of its frames and whatever the stream does with them are one pass of one thread.
   */
  @Override
  public Attributes streamAttributes(ActorSystem<?> system) {
    return ActorAttributes.dispatcher(EventLoopDispatcher.register(system, group.next(), dispatcherId));
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /**
   * Fails a connection whose message arrives in pieces and does not complete within {@code
   * limit} (it is broken): started by a first piece, ended by the last one, on the event loop.
   */
  private static final class FragmentTimeout extends ChannelInboundHandlerAdapter {
    private final Duration limit;
    private ScheduledFuture<?> pending;

    FragmentTimeout(Duration limit) {
      this.limit = limit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof WebSocketFrame frame && !(frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame || frame instanceof CloseWebSocketFrame)) {
        if (!frame.isFinalFragment() && pending == null) {
          pending =
              ctx.executor()
                  .schedule(
                      () -> ctx.fireExceptionCaught(new TimeoutException("a message in pieces did not complete within " + limit)),
                      limit.toNanos(),
                      TimeUnit.NANOSECONDS);
        } else if (frame.isFinalFragment() && pending != null) {
          pending.cancel(false);
          pending = null;
        }
      }
      ctx.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (pending != null) {
        pending.cancel(false);
      }
      super.channelInactive(ctx);
    }
  }

  /** One connection: the stage calls the {@link ClientFrameSource.Connection} methods, the event loop the handler's. */
  private final class Connection extends ChannelInboundHandlerAdapter implements ClientFrameSource.Connection {
    private final Request request;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Reading stopped for want of demand; written on the event loop only. */
    private volatile boolean paused;
    private ClientFrameSource.Inbox inbox;
    private volatile Channel channel;
    private volatile boolean upgraded;
    private volatile boolean ended;

    Connection(Request request) {
      this.request = request;
    }

    @Override
    public void open(ClientFrameSource.Inbox inbox) {
      this.inbox = inbox;
      URI uri = URI.create(request.url());
      boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
      String host = uri.getHost();
      int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
      HttpHeaders headers = new DefaultHttpHeaders();
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        headers.add(header.getKey(), header.getValue());
      }
      WebSocketClientProtocolConfig config =
          WebSocketClientProtocolConfig.newBuilder()
              .webSocketUri(uri)
              .customHeaders(headers)
              .maxFramePayloadLength((int) Math.min(Integer.MAX_VALUE / 2, Math.max(4L * request.maxFrameBytes(), 65_536)))
              .withUTF8Validator(false) // the dialect's parser refuses bad UTF-8 as a malformed frame instead
              .handleCloseFrames(true)
              .dropPongFrames(true)
              .handshakeTimeoutMillis(10_000)
              .build();
      Connection handler = this;
      ChannelFuture connecting =
          new Bootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (secure) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                        SSLEngine engine = ssl.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(parameters);
                        ch.pipeline().addLast(ssl);
                      }
                      ch.pipeline()
                          .addLast(new HttpClientCodec())
                          .addLast(new HttpObjectAggregator(65_536))
                          .addLast(new WebSocketClientProtocolHandler(config))
                          .addLast(new FragmentTimeout(request.frameTimeout()))
                          .addLast(new WebSocketFrameAggregator(request.maxFrameBytes()))
                          .addLast(handler);
                    }
                  })
              .connect(host, port);
      channel = connecting.channel();
      connecting.addListener(
          (ChannelFutureListener)
              future -> {
                if (!future.isSuccess()) {
                  end(future.cause());
                }
              });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        upgraded = true;
        inbox.opened();
      } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        end(new IllegalStateException("no WebSocket upgrade within 10 s: " + request.url()));
        ctx.close();
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      try {
        if (message instanceof TextWebSocketFrame text) {
          ByteBuf content = text.content();
          if (content.readableBytes() > request.maxFrameBytes()) {
            offer(ctx, InboundFrame.TooLong.INSTANCE);
            return;
          }
          byte[] bytes = new byte[content.readableBytes()];
          content.getBytes(content.readerIndex(), bytes);
          offer(ctx, new InboundFrame.Utf8(bytes, 0, bytes.length));
        } else if (message instanceof BinaryWebSocketFrame) {
          offer(ctx, InboundFrame.Binary.INSTANCE);
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      inbox.flush();
      ctx.fireChannelReadComplete();
    }

    private void offer(ChannelHandlerContext ctx, InboundFrame frame) {
      inbox.add(frame);
      if (waiting.incrementAndGet() >= HIGH_WATER && !paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException && upgraded) {
        offer(ctx, InboundFrame.TooLong.INSTANCE); // the aggregator drops the rest of that message and goes on
        inbox.flush();
        return;
      }
      end(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      end(upgraded ? null : new ClosedChannelException());
      super.channelInactive(ctx);
    }

    private void end(Throwable failure) {
      if (!ended) {
        ended = true;
        inbox.end(failure);
      }
    }

    @Override
    public void send(String text) {
      channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    @Override
    public void consumed(int frames) {
      if (waiting.addAndGet(-frames) <= LOW_WATER && paused) {
        channel.eventLoop().execute(this::resume);
      }
    }

    /**
     * On the event loop, like the pause, so the two never cross: reads again once the stream has
     * taken all but {@value #LOW_WATER} of what waits. A {@code consumed} that saw the flag still
     * down just before the pause is followed by more, since at least {@value #HIGH_WATER} wait then.
     */
    private void resume() {
      if (paused && waiting.get() <= LOW_WATER) {
        paused = false;
        channel.config().setAutoRead(true);
      }
    }

    @Override
    public void close(String reason) {
      ended = true;
      Channel ch = channel;
      if (ch == null || !ch.isActive() || !upgraded) {
        if (ch != null) {
          ch.close();
        }
        return;
      }
      String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
      ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), shortReason)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
