/**
 * The loading and failed states every page shares: a spinner with words, or the message of what went
 * wrong with a 重试 button when trying again can help. Emits `retry`.
 */
Component({
  properties: {
    loading: { type: Boolean, value: false },
    loadingText: { type: String, value: '正在加载…' },
    error: { type: String, value: '' },
    retryable: { type: Boolean, value: true },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
