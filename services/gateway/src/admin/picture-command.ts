import { actor, adminCopy as t, defineCommand, positiveInt } from './command';

/**
 * /setimage (docs/features.md §2.4, §3.2): a photo captioned `/setimage <id>` becomes the product
 * detail's picture (Telegram's file id of its largest size is stored by the catalog, audited);
 * `/setimage <id> off` removes it. Without a photo, the format again.
 */
export const setImageCommand = defineCommand({
  name: 'setimage',
  parse: (_args, raw, ctx) => {
    const [id, off, ...rest] = raw.trim().split(/\s+/);
    const productId = positiveInt(id);
    if (productId === undefined || rest.length > 0) return undefined;
    if (off !== undefined) return off.toLowerCase() === 'off' ? { productId, fileId: null } : undefined;
    const sizes = ctx.message && 'photo' in ctx.message ? ctx.message.photo : [];
    const largest = sizes.at(-1);
    return largest ? { productId, fileId: largest.file_id } : undefined;
  },
  run: async (d, ctx, a) => {
    await d.catalog.as(actor(ctx)).setImage(a.productId, a.fileId);
    await ctx.reply(a.fileId ? t(ctx).imageSet(a.productId) : t(ctx).imageRemoved(a.productId));
  },
});
