using System.Text;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// The binary form of mined supervision: a headerless stream of records, one per request in request order, so the
/// files of consecutive shards concatenate to exactly the bytes of a single run. Little-endian; per request: index,
/// id, N, list count; per list: L, items, V̂, w_l, the L×N soft labels.
/// </summary>
internal static class MinedFile
{
    public static void Write(Stream output, IEnumerable<MinedRequest> requests)
    {
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        foreach (var r in requests)
        {
            writer.Write(r.Index);
            writer.Write(r.RequestId);
            writer.Write(r.Candidates);
            writer.Write(r.Lists.Count);
            foreach (var l in r.Lists)
            {
                writer.Write(l.Items.Length);
                foreach (var i in l.Items)
                {
                    writer.Write(i);
                }

                writer.Write(l.Value);
                writer.Write(l.Weight);
                foreach (var q in l.Soft)
                {
                    writer.Write(q);
                }
            }
        }
    }

    public static List<MinedRequest> Read(Stream input)
    {
        using var reader = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        var result = new List<MinedRequest>();
        while (input.Position < input.Length)
        {
            var index = reader.ReadInt32();
            var id = reader.ReadString();
            var n = reader.ReadInt32();
            var count = reader.ReadInt32();
            var lists = new List<MinedList>(count);
            for (var k = 0; k < count; k++)
            {
                var length = reader.ReadInt32();
                var items = new int[length];
                for (var i = 0; i < length; i++)
                {
                    items[i] = reader.ReadInt32();
                }

                var value = reader.ReadSingle();
                var weight = reader.ReadSingle();
                var soft = new float[length * n];
                for (var i = 0; i < soft.Length; i++)
                {
                    soft[i] = reader.ReadSingle();
                }

                lists.Add(new MinedList(items, value, weight, soft));
            }

            result.Add(new MinedRequest(index, id, n, lists));
        }

        return result;
    }
}
