using Azure.Data.Tables;
using CsCheck;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class KeyEncodingTests(AzuriteFixture azurite)
{
    public static TheoryData<string> Nasty => new(TestData.NastyIds);

    [Theory]
    [MemberData(nameof(Nasty), DisableDiscoveryEnumeration = true)]
    public void Encode_NastyInput_IsValidKeyAndDecodesBack(string value)
    {
        var key = KeyEncoding.Encode(value);

        Assert.InRange(key.Length, 1, KeyEncoding.MaxComponentLength);
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c));
        Assert.False(HasLoneSurrogate(key));
        if (KeyEncoding.IsHashed(key))
        {
            Assert.Null(KeyEncoding.Decode(key));
            Assert.True(value.Length > KeyEncoding.MaxComponentLength / 5);
        }
        else
        {
            Assert.Equal(value, KeyEncoding.Decode(key));
        }
    }

    [Fact]
    public void Encode_RandomStrings_ValidAndReversibleOrHashed()
    {
        var anyChar = Gen.Char[char.MinValue, char.MaxValue];
        var gen = Gen.OneOf(anyChar.Array[0, 300], Gen.Char["/\\#?|!~%' \t\u0000\u007f\ud800\udc00a"].Array[0, 80])
            .Select(chars => new string(chars));

        gen.Sample(value =>
        {
            var key = KeyEncoding.Encode(value);
            Assert.InRange(key.Length, 1, KeyEncoding.MaxComponentLength);
            Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c));
            Assert.False(HasLoneSurrogate(key));
            Assert.Equal(KeyEncoding.IsHashed(key) ? null : value, KeyEncoding.Decode(key));
        }, iter: 5000);
    }

    [Fact]
    public void Encode_DistinctInputs_GiveDistinctKeys()
    {
        var inputs = TestData.NastyIds.Concat(["a|b", "a!007Cb", "A", "a", "a ", "a!"]).ToList();

        var keys = inputs.Select(KeyEncoding.Encode).ToList();

        Assert.Equal(inputs.Distinct(StringComparer.Ordinal).Count(), keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Encode_LongInput_HashesDeterministically()
    {
        var longId = new string('a', 5000);

        Assert.Equal(KeyEncoding.Encode(longId), KeyEncoding.Encode(longId));
        Assert.NotEqual(KeyEncoding.Encode(longId), KeyEncoding.Encode(longId + "b"));
        Assert.True(KeyEncoding.IsHashed(KeyEncoding.Encode(longId)));
    }

    [Fact]
    public void Decode_TruncatedEscape_Throws()
    {
        Assert.Throws<FormatException>(() => KeyEncoding.Decode("abc!00"));
    }

    [Fact]
    public async Task Encode_NastyInputs_AcceptedByTableServiceForEveryOperation()
    {
        var ct = TestContext.Current.CancellationToken;
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteFixture.NewTablePrefix("keys"));
        await table.CreateIfNotExistsAsync(ct);
        foreach (var value in TestData.NastyIds)
        {
            var partition = KeyEncoding.Encode(value) + KeyEncoding.Separator + KeyEncoding.Encode(value);
            var row = "m|" + KeyEncoding.Encode(value);

            await table.UpsertEntityAsync(new TableEntity(partition, row) { ["Original"] = value.Replace("\0", string.Empty, StringComparison.Ordinal) }, TableUpdateMode.Replace, ct);
            var read = await table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: ct);
            var queried = await table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: ct).ToListAsync();
            await table.DeleteEntityAsync(partition, row, cancellationToken: ct);

            Assert.Equal(row, read.Value.RowKey);
            Assert.Single(queried);
        }

        await table.DeleteAsync(ct);
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
