using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TiesOffice.Web.Http;

/// <summary>
/// The cap every HTTP edge puts on how much of a request body it reads. A body over the cap is answered
/// <c>413 Payload Too Large</c> (ProblemDetails) and nothing of it is processed. Use
/// <see cref="WithRequestBodyLimit{TBuilder}"/> on a mapped route or group, and <see cref="ReadAsync"/> in a handler
/// that both hosts call (the Functions app's triggers run no endpoint filters).
/// </summary>
/// <remarks>
/// The cap is checked twice: against <c>Content-Length</c> before anything is read, and while reading, for a chunked
/// body without a length. Add a named constant here for each new edge (the tab API, the bot's <c>/api/messages</c>).
/// </remarks>
public static class RequestBodyLimit
{
    /// <summary>
    /// Graph change and lifecycle notifications: 1 MiB. Without resource data a notification is a few hundred bytes;
    /// the cap leaves room for a large batch and turns anything bigger away.
    /// </summary>
    public const long GraphNotificationBytes = 1024 * 1024;

    /// <summary>Endpoints that read no body (the DevHost's <c>/api/dev</c> operations take query values only): 1 KiB.</summary>
    public const long NoBodyBytes = 1024;

    /// <summary>
    /// Caps the body of every endpoint of <paramref name="builder"/> at <paramref name="maxBytes"/>: 413 when
    /// <c>Content-Length</c> is larger, and 413 when reading goes past the cap.
    /// </summary>
    /// <typeparam name="TBuilder">A route or route group.</typeparam>
    /// <param name="builder">The route or group.</param>
    /// <param name="maxBytes">The cap in bytes.</param>
    /// <returns>The builder.</returns>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.ContentLength > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            if (context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = maxBytes;
            }

            request.Body = new CappedStream(request.Body, maxBytes);
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(maxBytes);
            }
        });
    }

    /// <summary>Reads the whole request body if it is at most <paramref name="maxBytes"/> long.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBytes">The cap in bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body, or null when it is longer than the cap (answer <see cref="TooLarge"/>).</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>The 413 answer, as ProblemDetails.</summary>
    /// <param name="maxBytes">The cap that was exceeded.</param>
    /// <returns>The result.</returns>
    public static IResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"This endpoint reads at most {maxBytes} bytes of request body.");

    /// <summary>A read-only view of a body that throws a 413 <see cref="BadHttpRequestException"/> past the cap.</summary>
    private sealed class CappedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes)
            {
                throw new BadHttpRequestException($"The request body is longer than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }
    }
}
