using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rerank.Benchmarks;

/// <summary>
/// A lean HTTP/1.1 keep-alive connection for the load generator (what wrk does): requests are pre-encoded bytes, the
/// answer is read into a reused buffer and only its status, framing (Content-Length or chunked) and body are looked at.
/// On a 2-core machine the client shares the cores with the server, so a client that costs little per request measures
/// the server rather than itself; <see cref="HttpClient"/> costs several times more per request.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly EndPoint _endPoint;
    private Socket? _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _filled;

    public RawHttpConnection(EndPoint endPoint)
    {
        _endPoint = endPoint;
    }

    /// <summary>The body of the last answer (valid until the next call).</summary>
    public ReadOnlySpan<byte> Body => _buffer.AsSpan(BodyStart, BodyLength);

    private int BodyStart { get; set; }

    private int BodyLength { get; set; }

    /// <summary>Encodes a POST with a JSON body for <paramref name="host"/>.</summary>
    public static byte[] EncodePost(string host, string pathAndQuery, ReadOnlySpan<byte> json)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST {pathAndQuery} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n");
        var request = new byte[head.Length + json.Length];
        head.CopyTo(request, 0);
        json.CopyTo(request.AsSpan(head.Length));
        return request;
    }

    /// <summary>
    /// Sends one request and reads its whole answer, blocking the calling thread (each client has its own thread, so a
    /// request costs two system calls and no thread-pool hops); returns the HTTP status. Reconnects when the server closed.
    /// </summary>
    public int Send(ReadOnlySpan<byte> request)
    {
        if (_socket is null)
        {
            _socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _socket.Connect(_endPoint);
        }

        try
        {
            while (!request.IsEmpty)
            {
                var sent = _socket.Send(request, SocketFlags.None);
                request = request[sent..];
            }

            return Receive();
        }
        catch
        {
            Reset();
            throw;
        }
    }

    public void Dispose() => Reset();

    private void Reset()
    {
        _socket?.Dispose();
        _socket = null;
        _filled = 0;
    }

    private int Receive()
    {
        _filled = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, _filled).IndexOf(HeaderEnd)) < 0)
        {
            Fill();
        }

        var (status, contentLength, chunked, close) = ParseHead(_buffer.AsSpan(0, headerEnd));
        var start = headerEnd + HeaderEnd.Length;
        if (chunked)
        {
            ReadChunked(start);
        }
        else
        {
            var length = contentLength ?? throw new HttpRequestException("answer has neither Content-Length nor chunked framing");
            while (_filled < start + length)
            {
                Fill();
            }

            BodyStart = start;
            BodyLength = length;
        }

        if (close)
        {
            Reset();
        }

        return status;
    }

    /// <summary>Reads a chunked body and compacts its chunks in place, so <see cref="Body"/> is contiguous.</summary>
    private void ReadChunked(int start)
    {
        var read = start;
        var write = start;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(read, _filled - read).IndexOf("\r\n"u8)) < 0)
            {
                Fill();
            }

            var sizeText = _buffer.AsSpan(read, lineEnd);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0)
            {
                sizeText = sizeText[..semicolon];
            }

            if (!Utf8Parser.TryParse(sizeText, out int size, out var used, 'x') || used != sizeText.Length)
            {
                throw new HttpRequestException("malformed chunk size in the answer");
            }

            read += lineEnd + 2;
            while (_filled < read + size + 2)
            {
                Fill();
            }

            if (size == 0)
            {
                break;
            }

            _buffer.AsSpan(read, size).CopyTo(_buffer.AsSpan(write));
            write += size;
            read += size + 2;
        }

        BodyStart = start;
        BodyLength = write - start;
    }

    private void Fill()
    {
        if (_filled == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _socket!.Receive(_buffer.AsSpan(_filled), SocketFlags.None);
        if (read == 0)
        {
            throw new HttpRequestException("the server closed the connection mid-answer");
        }

        _filled += read;
    }

    private static (int Status, int? ContentLength, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new HttpRequestException("malformed status line in the answer");
        }

        int? contentLength = null;
        var chunked = false;
        var close = false;
        var rest = head;
        var lineEnd = rest.IndexOf("\r\n"u8);
        while (lineEnd >= 0)
        {
            rest = rest[(lineEnd + 2)..];
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && Utf8Parser.TryParse(value, out int length, out _))
            {
                contentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = value.IndexOf("chunked"u8) >= 0;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return (status, contentLength, chunked, close);
    }
}
